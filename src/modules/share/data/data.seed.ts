// Demo rows for the four demo datasets, loaded through the push path (so they are typed, checked and
// counted like any load). Idempotent: a dataset that already has a demo load is left alone. Each dataset
// gets a full load; the population register's second (incremental) load and the funeral register's load carry a few real-looking problems (a
// wrong ID check digit, a missing name, a death date before birth, a duplicate record number) that show up
// as rejected rows and lower the quality scores.
import { and, eq, like } from 'drizzle-orm';
import { systemActor } from '../../../platform/auth/actor';
import type { Share } from '..';
import { DEMO_RESOURCE_CODES } from '../catalogue';
import { shareLoads, shareQualityRules } from './data.schema';
import { type Row, funeralRows, legalPersonRows, populationRows, socialInsuranceRows, take } from './generator';

export const DEMO_COUNTS = { population: 2000, legalPerson: 300, funeral: 150, socialInsurance: 3000 };

async function loadOnce(share: Share, resourceId: string, batchId: string, mode: 'full' | 'incremental', rows: Row[]) {
  const done = await share.data.deps.db.select({ id: shareLoads.id }).from(shareLoads).where(and(eq(shareLoads.resourceId, resourceId), eq(shareLoads.batchId, batchId)));
  if (done.length) return;
  for (let i = 0; i < rows.length; i += 10_000) {
    await share.data.pushBatch(systemActor('seed'), resourceId, { batchId: rows.length > 10_000 ? `${batchId}-${i / 10_000}` : batchId, mode: i === 0 ? mode : 'incremental', rows: rows.slice(i, i + 10_000) });
  }
}

export async function seedDataDemo(share: Share) {
  const { catalogue } = share;
  const db = share.data.deps.db;
  const ids: Partial<Record<keyof typeof DEMO_RESOURCE_CODES, string>> = {};
  for (const [k, code] of Object.entries(DEMO_RESOURCE_CODES)) {
    const r = await catalogue.byCode(code);
    if (r && r.state === 'published') ids[k as keyof typeof DEMO_RESOURCE_CODES] = r.id;
  }
  if (!ids.population || !ids.legalPerson || !ids.funeral || !ids.socialInsurance) return;
  const already = await db.select({ id: shareLoads.id }).from(shareLoads).where(like(shareLoads.batchId, 'demo-%')).limit(1);
  if (already.length) return;

  // Provider rules beyond the derived ones.
  const rule = (resourceId: string, kind: string, column: string | null, params: Record<string, unknown>, threshold = 0.01, severity = 'error') => ({ resourceId, kind, column, params, threshold, severity });
  const existing = await db.select({ id: shareQualityRules.id }).from(shareQualityRules).where(eq(shareQualityRules.resourceId, ids.funeral));
  if (!existing.length) {
    await db.insert(shareQualityRules).values([
      rule(ids.population, 'accepted_values', 'gender', { values: ['男', '女'] }),
      rule(ids.population, 'pattern', 'phone', { pattern: '^1[3-9]\\d{9}$' }, 0.05, 'warning'),
      rule(ids.legalPerson, 'credit_code', 'credit_code', {}),
      rule(ids.legalPerson, 'accepted_values', 'status', { values: ['存续', '在业', '注销', '吊销', '迁出'] }),
      rule(ids.funeral, 'range', 'death_date', { afterBirthOf: 'id_number', max: 'today' }, 0.02),
      rule(ids.funeral, 'range', 'cremation_date', { afterColumn: 'death_date' }, 0.02),
      rule(ids.funeral, 'referential', 'id_number', { resourceId: ids.population, column: 'id_number' }, 0.02, 'warning'),
      rule(ids.socialInsurance, 'pattern', 'period', { pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }),
      rule(ids.socialInsurance, 'range', 'amount', { min: '0' }),
      rule(ids.socialInsurance, 'credit_code', 'employer_credit_code', {}, 0.01, 'warning'),
    ]);
  }

  const people = take(populationRows(DEMO_COUNTS.population, 20260101));
  const companies = take(legalPersonRows(DEMO_COUNTS.legalPerson, 20260102));
  const dead = people.filter((_, i) => i % 13 === 5).slice(0, DEMO_COUNTS.funeral);
  const funerals = take(funeralRows(dead, 20260103));
  const insured = people.filter((_, i) => i % 2 === 0).slice(0, DEMO_COUNTS.socialInsurance / 3);
  const contributions = take(socialInsuranceRows(insured, ['2026-08', '2026-09', '2026-10'], companies.map((c) => c.credit_code!), 20260104));

  await loadOnce(share, ids.population, 'demo-population-1', 'full', people.slice(0, 1900));
  await loadOnce(share, ids.legalPerson, 'demo-legal-1', 'full', companies);
  await loadOnce(share, ids.socialInsurance, 'demo-social-1', 'full', contributions);

  // The second population load: the last 100 people, one with a wrong check digit, one without a name.
  const more = people.slice(1900).map((r) => ({ ...r }));
  const id = more[3].id_number!;
  more[3].id_number = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  more[7].name = '';
  await loadOnce(share, ids.population, 'demo-population-2', 'incremental', more);
  // The funeral register's load: a death date before birth, and a duplicate record number (each 1 of 150,
  // within the rules' thresholds: the rows are rejected, the load goes through).
  const late = funerals.map((r) => ({ ...r }));
  const born = people.find((p) => p.id_number === late[20].id_number)!.birth_date!;
  late[20].death_date = `${Number(born.slice(0, 4)) - 1}${born.slice(4)}`;
  late[20].cremation_date = late[20].death_date;
  late[41].record_no = late[40].record_no;
  await loadOnce(share, ids.funeral, 'demo-funeral-1', 'full', late);
}
