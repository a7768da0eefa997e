// "One thing" bundle applications over HTTP: fan-out into member drafts in one transaction, invalid shared
// forms (422, nothing written), all-or-nothing submission with problems per member, the combined state,
// transitions not allowed from the current state, acting for someone with and without an authorisation.
// Also the elder-mode preference and the register conflict naming its field.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizenId } from '../../../platform/ids';
import { type Client, testApp, type TestApp } from '../../../test/app';
import type { FormDefinition } from '../form';
import { svcItems } from '../svc.schema';
import { svcApplications, svcBundleApplications } from './applications.schema';
import { bundleState } from './bundles.service';
import { validFormValues } from '../../../test/form-values';

let t: TestApp;
let li: Client;
let zhang: Client;
let ent: Client;
let admin: Client;
let newborn: { code: string; name: string; items: { id: string; name: string }[] };
const LI_ID = makeCitizenId('370212', '1993-08-21', 462);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const shared = { applicantName: '李示例', idNumber: LI_ID, phone: '13800000004' };

const count = async (table: typeof svcApplications | typeof svcBundleApplications) => {
  const [{ n }] = await t.app.services.database.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return Number(n);
};

const fill = (form: FormDefinition) => validFormValues(form, { idNumber: LI_ID, phone: '13800000004', date: '2026-10-08' });

const upload = (c: Client, id: string, key: string) => c.request('PUT', `/api/applications/${id}/materials/${key}?fileName=scan.pdf`, PDF as never, { 'content-type': 'application/pdf' });

beforeAll(async () => {
  t = await testApp();
  li = await t.login('parent_li');
  zhang = await t.login('citizen_zhang');
  ent = await t.login('ent_demo');
  admin = await t.login('admin');
  const list = (await t.anonymous().get('/api/public/svc/bundles')).json().items as { code: string; name: string; items: { id: string; name: string }[] }[];
  newborn = list.find((b) => b.name === '新生儿出生一件事')!;
});
afterAll(() => t.close());

describe('the combined state', () => {
  const m = (state: string, decision?: string) => ({ state, decision: decision ? { decision } : null });
  it('is derived from the members', () => {
    expect(bundleState([m('draft'), m('draft')])).toBe('draft');
    expect(bundleState([m('submitted'), m('approved')])).toBe('in_progress');
    expect(bundleState([m('correction_requested'), m('approved')])).toBe('correction_requested');
    expect(bundleState([m('approved'), m('completed', 'approved')])).toBe('completed');
    expect(bundleState([m('rejected'), m('completed', 'approved')])).toBe('rejected');
    expect(bundleState([m('completed', 'rejected'), m('approved')])).toBe('rejected');
    expect(bundleState([m('rejected'), m('accepted')])).toBe('in_progress');
    expect(bundleState([m('withdrawn'), m('withdrawn')])).toBe('withdrawn');
  });
});

describe('bundle applications (一件事)', () => {
  let id = '';
  let members: { id: string; itemId: string; itemName: string; state: string }[] = [];

  it('fans out into one draft per member item in one go, data mapped through each fieldMap', async () => {
    expect(newborn.items.length).toBeGreaterThanOrEqual(3);
    const r = await li.post('/api/bundle-applications', { bundleCode: newborn.code, data: shared });
    expect(r.statusCode, r.body).toBe(201);
    const b = r.json();
    expect(b).toMatchObject({ bundleCode: newborn.code, bundleName: '新生儿出生一件事', state: 'draft', data: shared });
    expect(b.applications.map((a: { itemId: string }) => a.itemId)).toEqual(newborn.items.map((i) => i.id));
    expect(b.applications.every((a: { state: string }) => a.state === 'draft')).toBe(true);
    id = b.id;
    members = b.applications;
    const one = (await li.get(`/api/applications/${members[0].id}`)).json();
    expect(one.bundleApplicationId).toBe(id);
    expect(one.data).toMatchObject(shared);
    const mine = (await li.get('/api/bundle-applications')).json();
    expect(mine.total).toBe(1);
    expect(mine.items[0].id).toBe(id);
  });

  it('refuses an invalid shared form with 422 naming /data/<key>, writing nothing', async () => {
    const [apps, bundles] = [await count(svcApplications), await count(svcBundleApplications)];
    const r = await li.post('/api/bundle-applications', { bundleCode: newborn.code, data: { ...shared, idNumber: '370212199308214620', phone: '12' } });
    expect(r.statusCode).toBe(422);
    const paths = r.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/data/idNumber', '/data/phone']));
    const unknown = await li.post('/api/bundle-applications', { bundleCode: newborn.code, data: { nope: 1 } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].path).toBe('/data/nope');
    expect((await li.post('/api/bundle-applications', { bundleCode: 'NO-SUCH', data: {} })).statusCode).toBe(404);
    expect(await count(svcApplications)).toBe(apps);
    expect(await count(svcBundleApplications)).toBe(bundles);
  });

  it('refuses a person bundle for an enterprise (422) and staff (403)', async () => {
    const before = await count(svcBundleApplications);
    expect((await ent.post('/api/bundle-applications', { bundleCode: newborn.code, data: {} })).statusCode).toBe(422);
    expect((await admin.post('/api/bundle-applications', { bundleCode: newborn.code, data: {} })).statusCode).toBe(403);
    expect(await count(svcBundleApplications)).toBe(before);
  });

  it('re-maps changed shared values into every member while all are drafts', async () => {
    const r = await li.patch(`/api/bundle-applications/${id}`, { data: { ...shared, phone: '13800000009' } });
    expect(r.statusCode, r.body).toBe(200);
    for (const m of members) expect((await li.get(`/api/applications/${m.id}`)).json().data.phone).toBe('13800000009');
    expect((await li.patch(`/api/bundle-applications/${id}`, { data: { phone: 'abc' } })).statusCode).toBe(422);
  });

  it('will not submit a member on its own', async () => {
    const r = await li.post(`/api/applications/${members[0].id}/submit`);
    expect(r.statusCode).toBe(409);
  });

  it('submits nothing while any member is incomplete, listing the problems per member', async () => {
    const r = await li.post(`/api/bundle-applications/${id}/submit`);
    expect(r.statusCode).toBe(422);
    const p = r.json();
    expect(p.members.length).toBeGreaterThan(0);
    expect(p.members[0]).toMatchObject({ applicationId: expect.any(String), itemName: expect.any(String) });
    expect(p.members[0].errors.some((e: { path: string }) => e.path.startsWith('/materials/') || e.path.startsWith('/data/'))).toBe(true);
    const after = (await li.get(`/api/bundle-applications/${id}`)).json();
    expect(after.state).toBe('draft');
    expect(after.applications.every((a: { state: string }) => a.state === 'draft')).toBe(true);
  });

  it('submits every member at once when all are complete; staff see they belong together', async () => {
    for (const m of members) {
      const [item] = await t.app.services.database.db.select().from(svcItems).where(eq(svcItems.id, m.itemId));
      const p = await li.patch(`/api/applications/${m.id}`, { data: { ...fill(item.form as FormDefinition), ...shared, phone: '13800000009' } });
      expect(p.statusCode, p.body).toBe(200);
      for (const mat of item.materials as { key: string; required: boolean; upload: unknown }[]) if (mat.required && mat.upload) expect((await upload(li, m.id, mat.key)).statusCode).toBe(201);
    }
    const r = await li.post(`/api/bundle-applications/${id}/submit`);
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.state).toBe('in_progress');
    expect(b.applications.every((a: { state: string }) => a.state === 'submitted')).toBe(true);
    const work = (await admin.get(`/api/svc/worklist?itemId=${members[0].itemId}`)).json();
    const row = work.items.find((w: { id: string }) => w.id === members[0].id);
    expect(row.bundleApplicationId).toBe(id);
    const siblings = (await admin.get(`/api/svc/worklist?bundleApplicationId=${id}`)).json();
    expect(siblings.items.map((w: { id: string }) => w.id).sort()).toEqual(members.map((m) => m.id).sort());
  });

  it('refuses transitions not allowed from the current state (409) and changes nothing', async () => {
    const again = await li.post(`/api/bundle-applications/${id}/submit`);
    expect(again.statusCode).toBe(409);
    expect(again.json().currentState).toBe('in_progress');
    expect((await li.patch(`/api/bundle-applications/${id}`, { data: shared })).statusCode).toBe(409);
    const states = (await li.get(`/api/bundle-applications/${id}`)).json().applications.map((a: { state: string }) => a.state);
    expect(states.every((s: string) => s === 'submitted')).toBe(true);
  });

  it('tracks a member decision in the combined state, and withdraws the rest', async () => {
    const first = members[0].id;
    for (const action of ['accept', 'request_correction'] as const) {
      const r = await admin.post(`/api/svc/applications/${first}/actions`, { action, reason: action === 'request_correction' ? '请补充出生医学证明原件照片' : undefined });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect((await li.get(`/api/bundle-applications/${id}`)).json().state).toBe('correction_requested');
    const w = await li.post(`/api/bundle-applications/${id}/withdraw`, { reason: '改为线下办理' });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().state).toBe('withdrawn');
    const again = await li.post(`/api/bundle-applications/${id}/withdraw`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().currentState).toBe('withdrawn');
  });

  it('strangers see 404; acting for someone needs their authorisation (403, nothing written)', async () => {
    expect((await zhang.get(`/api/bundle-applications/${id}`)).statusCode).toBe(404);
    expect((await zhang.post(`/api/bundle-applications/${id}/withdraw`, {})).statusCode).toBe(404);
    const liUser = (await li.get('/api/auth/me')).json().user;
    const before = [await count(svcApplications), await count(svcBundleApplications)];
    const denied = await zhang.post('/api/bundle-applications', { bundleCode: newborn.code, data: shared, onBehalfOf: liUser.id });
    expect(denied.statusCode).toBe(403);
    expect([await count(svcApplications), await count(svcBundleApplications)]).toEqual(before);

    // An authorisation for one member item only is not enough for the bundle.
    const partial = await zhang.post('/api/proxy/requests', { principal: 'parent_li', relation: '亲属', itemIds: [newborn.items[0].id], expiresAt: new Date(Date.now() + 30 * 86400_000).toISOString() });
    expect(partial.statusCode, partial.body).toBe(201);
    expect((await li.post(`/api/proxy/grants/${partial.json().id}/confirm`)).statusCode).toBe(200);
    expect((await zhang.post('/api/bundle-applications', { bundleCode: newborn.code, data: shared, onBehalfOf: liUser.id })).statusCode).toBe(403);
    expect([await count(svcApplications), await count(svcBundleApplications)]).toEqual(before);

    const all = await zhang.post('/api/proxy/requests', { principal: 'parent_li', relation: '亲属', expiresAt: new Date(Date.now() + 30 * 86400_000).toISOString() });
    expect((await li.post(`/api/proxy/grants/${all.json().id}/confirm`)).statusCode).toBe(200);
    const ok = await zhang.post('/api/bundle-applications', { bundleCode: newborn.code, data: shared, onBehalfOf: liUser.id });
    expect(ok.statusCode, ok.body).toBe(201);
    const b = ok.json();
    expect((await li.get(`/api/bundle-applications/${b.id}`)).json().agentId).toBe((await zhang.get('/api/auth/me')).json().user.id);
    expect((await zhang.get('/api/bundle-applications')).json().items.some((x: { id: string }) => x.id === b.id)).toBe(true);

    // Revoked: the agent who made it now gets 403, and nothing changes.
    expect((await li.post(`/api/proxy/grants/${all.json().id}/revoke`)).statusCode).toBe(200);
    expect((await zhang.post(`/api/bundle-applications/${b.id}/withdraw`, {})).statusCode).toBe(403);
    expect((await li.get(`/api/bundle-applications/${b.id}`)).json().state).toBe('draft');
  });
});

describe('elder mode and registration conflicts', () => {
  it('remembers elder mode per account', async () => {
    expect((await li.get('/api/auth/me')).json().user.elderMode).toBe(false);
    const r = await li.patch('/api/auth/me', { elderMode: true });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().user.elderMode).toBe(true);
    const again = await t.login('parent_li');
    expect((await again.get('/api/auth/me')).json().user.elderMode).toBe(true);
    expect((await zhang.get('/api/auth/me')).json().user.elderMode).toBe(false);
    expect((await li.patch('/api/auth/me', { elderMode: 'yes' })).statusCode).toBe(400);
  });

  it('names the taken field in a 409 on registration', async () => {
    const body = { username: 'citizen_zhang', password: 'Another@2026x', displayName: '重名', idNumber: makeCitizenId('370203', '1990-01-01', 11) };
    const r = await t.anonymous().post('/api/auth/register', body);
    expect(r.statusCode).toBe(409);
    expect(r.json().errors).toEqual([{ path: '/username', message: expect.any(String) }]);
    const dupId = await t.anonymous().post('/api/auth/register', { ...body, username: 'new_person_1', idNumber: LI_ID });
    expect(dupId.statusCode).toBe(409);
    expect(dupId.json().errors).toEqual([{ path: '/idNumber', message: expect.any(String) }]);
  });
});
