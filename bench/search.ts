// Service-hall benchmark on the full-size demo catalogue (≈7,560 items) on an embedded database in a fresh
// temporary folder, two halves:
// 1. search latency over realistic queries against a plain indexed lookup (an item by its code, a unique
//    b-tree index) on the same data, in the same run;
// 2. applications submitted per second: create a draft with its form values, upload the required
//    materials, submit (deadline in working days, history, audit, notification; 秒批 rule evaluation for
//    automatic items) through the service layer, against a baseline of a plain insert of the same
//    application row, in the same run.
//
//   node --import tsx bench/search.ts [--rounds 20] [--apps 200] [--json]
//
// Everything runs sequentially through the service layer (no HTTP): p50/p95 in ms, rates per second and
// the ratios. Generation time is printed too (batched inserts in one transaction).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createServices, seed } from '../src/app';
import { loadConfig } from '../src/config';
import { CatalogueService, generateCatalogue } from '../src/modules/svc';
import type { FormDefinition } from '../src/modules/svc/form';
import type { Material } from '../src/modules/svc/materials';
import { systemActor } from '../src/platform/auth/actor';
import { makeCitizenId } from '../src/platform/ids';
import { sampleCertificateFields, validFormValues } from '../src/test/form-values';
import { ratioLine } from './common';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '20' }, apps: { type: 'string', default: '200' }, json: { type: 'boolean', default: false } } });
const rounds = Number(args.rounds);
const appCount = Number(args.apps);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const ZHANG_ID = makeCitizenId('370202', '1988-05-17', 231);

const fillForm = (form: FormDefinition, extra: Record<string, unknown> = {}) => validFormValues(form, { idNumber: ZHANG_ID, phone: '13800000001', date: '2026-01-05' }, extra);

const QUERIES = [
  '公积金', '社保', '住房公积金提取', '公积全提取', '身份证', '户口迁移', '人才落户', '医保', '异地就医', '营业执照', '企业设立登记', '残疾证', '结婚登记',
  '退休', '低保', '高龄津贴', '护照', '驾照换证', '不动产登记', '二手房', '失业金', '生育报销', '养老保险', '出生医学证明', '市南区居住证', '食品经营许可', '排污', '补贴', '残', '城阳区',
];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-bench-search-'));
try {
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, DATABASE_URL: '', DQ_JOBS: '0', LOG_LEVEL: 'warn' });
  const services = await createServices(config);
  const t0 = Date.now();
  await seed(services, { demo: true });
  const seedMs = Date.now() - t0;
  const catalogue = new CatalogueService(services.database.db, services.orgs);
  const gen = await generateCatalogue(catalogue);
  const [{ n: total }] = await services.database.query<{ n: number }>('select count(*)::int as n from svc_items');
  await services.database.query('analyze svc_items');
  const codes = (await services.database.query<{ code: string }>('select code from svc_items order by random() limit 200')).map((r) => r.code);

  // Warm up both paths (plans, caches) before measuring.
  for (const q of QUERIES) await catalogue.publicSearch({ q, limit: 20, offset: 0 });
  for (const c of codes.slice(0, 30)) await catalogue.publicItem(c).catch(() => undefined);

  const searchMs: number[] = [];
  const hits: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      const s = performance.now();
      const page = await catalogue.publicSearch({ q, limit: 20, offset: 0 });
      searchMs.push(performance.now() - s);
      hits[q] = page.total;
    }
  }
  const lookupMs: number[] = [];
  const lookups = rounds * QUERIES.length;
  for (let i = 0; i < lookups; i++) {
    const s = performance.now();
    await services.database.query('select id, code, name from svc_items where code = $1', [codes[i % codes.length]]);
    lookupMs.push(performance.now() - s);
  }
  const detailMs: number[] = [];
  for (let i = 0; i < lookups; i++) {
    const s = performance.now();
    await catalogue.publicItem(codes[i % codes.length]).catch(() => undefined);
    detailMs.push(performance.now() - s);
  }
  const search = stats(searchMs);
  const lookup = stats(lookupMs);
  const detail = stats(detailMs);

  // ---- applications submitted per second ----------------------------------------------------------
  const { applications, auth } = services;
  const zhang = (await auth.findByUsername('citizen_zhang'))!;
  const actor = (await auth.loadActor(zhang.id, 'session'))!;
  // Person items of the generated catalogue that need only uploads (certificate-only materials are waived).
  const pool = await services.database.query<{ id: string; form: FormDefinition; materials: Material[] }>(
    `select id, form, materials from svc_items where status = 'published' and applicant_type in ('person', 'both') and mode <> 'auto' and is_demo order by code limit 50`,
  );
  const [renter] = await services.database.query<{ id: string; form: FormDefinition; materials: Material[] }>(`select id, form, materials from svc_items where name = '住房公积金提取（租房）' and is_demo = false`);
  const today = new Date().toISOString().slice(0, 10);
  const addDays = (d: string, n: number) => new Date(Date.parse(d) + n * 86400_000).toISOString().slice(0, 10);
  const renterData = fillForm(renter.form, { noOwnHome: true, leaseStart: addDays(today, -100), leaseEnd: addDays(today, 200), amount: 6000 });
  // The renter withdrawal takes its 住房公积金缴存证明 only as an electronic certificate: zhang holds one in
  // the wallet (issued here when the demo seed has none), attached the way the portal does.
  const held = new Map<string, string>();
  {
    const { certificates, wallet } = services.cert;
    const type = (await certificates.typeByName('住房公积金缴存证明'))!;
    const claimable = async () => ((await wallet.claimable(actor)) as { items: { certificateId: string; typeName: string; status: string }[] }).items.find((c) => c.typeName === type.nameZh && c.status === 'valid');
    if (!(await claimable())) {
      const fields = sampleCertificateFields(type.fields);
      await certificates.issue(systemActor('bench'), { typeId: type.id, number: 'BENCH-GJJ-0001', holderName: '张示例', holderCode: ZHANG_ID, issuedOn: '2024-01-01', validFrom: '2024-01-01', validUntil: null, fields });
    }
    const cert = (await claimable())!;
    await wallet.claim(actor, cert.certificateId);
    held.set(type.nameZh, cert.certificateId);
  }
  const apply = async (itemId: string, data: Record<string, unknown>, materials: Material[]) => {
    const draft = await applications.create(actor, { itemId, data });
    for (const m of materials) {
      if (!m.required) continue;
      if (m.upload) await applications.upload(actor, draft.id, m.key, { stream: Readable.from([PDF]), contentType: 'application/pdf', fileName: 'scan.pdf' });
      else if (m.certificateType && held.has(m.certificateType)) await applications.attachCertificate(actor, draft.id, m.key, { certificateTypeName: m.certificateType, certificateId: held.get(m.certificateType)! });
    }
    return applications.submit(actor, draft.id);
  };
  await apply(pool[0].id, fillForm(pool[0].form), pool[0].materials); // warm-up
  const submitMs: number[] = [];
  const a0 = performance.now();
  for (let i = 0; i < appCount; i++) {
    const it = pool[i % pool.length];
    const s = performance.now();
    const done = await apply(it.id, fillForm(it.form), it.materials);
    submitMs.push(performance.now() - s);
    if (done.state !== 'submitted') throw new Error(`expected submitted, got ${done.state}`);
  }
  const submitWall = performance.now() - a0;
  // Automatic approval: the renter withdrawal evaluated against the facts; after the first approval this
  // year the "once a year" clause fails, so the rest go to a person — the rule runs in full every time.
  const autoMs: number[] = [];
  // The lease is optional on the form; applicants attach it, so the bench does too.
  const renterMaterials = renter.materials.map((m) => (m.key === 'lease' ? { ...m, required: true } : m));
  const b0 = performance.now();
  const autoCount = Math.max(1, Math.floor(appCount / 4));
  for (let i = 0; i < autoCount; i++) {
    const s = performance.now();
    await apply(renter.id, renterData, renterMaterials);
    autoMs.push(performance.now() - s);
  }
  const autoWall = performance.now() - b0;
  // Baseline: a plain insert of the same application row, one statement each.
  const sample = (await services.database.query<Record<string, unknown>>(`select * from svc_applications where applicant_id = $1 and state = 'submitted' limit 1`, [zhang.id]))[0];
  const insertMs: number[] = [];
  const c0 = performance.now();
  for (let i = 0; i < appCount; i++) {
    const s = performance.now();
    await services.database.query(
      `insert into svc_applications (item_id, item_version, item_code, item_name, owner_org_id, district_code, mode, applicant_id, applicant_kind, applicant_name, state, data, submitted_at, clock_started_at, due_date, due_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11, now(), now(), $12, $13)`,
      [sample.item_id, sample.item_version, sample.item_code, sample.item_name, sample.owner_org_id, sample.district_code, sample.mode, sample.applicant_id, sample.applicant_kind, sample.applicant_name, JSON.stringify(sample.data), sample.due_date, sample.due_at],
    );
    insertMs.push(performance.now() - s);
  }
  const insertWall = performance.now() - c0;
  const submitStats = stats(submitMs);
  const autoStats = stats(autoMs);
  const insertStats = stats(insertMs);
  const perSecond = (n: number, ms: number) => (n * 1000) / ms;
  const applicationsResult = {
    items: pool.length,
    submitted: { ...submitStats, perSecond: perSecond(appCount, submitWall) },
    autoEvaluated: { ...autoStats, perSecond: perSecond(autoCount, autoWall) },
    plainInsert: { ...insertStats, perSecond: perSecond(appCount, insertWall) },
    ratio: { perSecond: perSecond(appCount, insertWall) / perSecond(appCount, submitWall), p50: submitStats.p50 / insertStats.p50 },
  };

  const result = {
    database: services.database.kind,
    items: Number(total),
    generated: gen,
    seedMs,
    queries: QUERIES.length,
    rounds,
    search,
    lookupByCode: lookup,
    itemDetailByCode: detail,
    ratio: { p50: search.p50 / lookup.p50, p95: search.p95 / lookup.p95 },
    ratioToDetail: { p50: search.p50 / detail.p50, p95: search.p95 / detail.p95 },
    hits,
    applications: applicationsResult,
  };
  if (args.json) console.log(JSON.stringify(result, null, 2));
  else {
    const f = (x: number) => x.toFixed(2).padStart(8);
    console.log(`catalogue: ${result.items} items on ${result.database} (generated ${gen.created} in ${gen.ms} ms: ${gen.departments} department, ${gen.districts} district)`);
    console.log(`                                   n      p50 ms   p95 ms   mean ms`);
    console.log(`search (${QUERIES.length} queries × ${rounds})      ${String(search.n).padStart(5)} ${f(search.p50)} ${f(search.p95)} ${f(search.mean)}`);
    console.log(`lookup by code (indexed)          ${String(lookup.n).padStart(5)} ${f(lookup.p50)} ${f(lookup.p95)} ${f(lookup.mean)}`);
    console.log(`item detail by code (service)     ${String(detail.n).padStart(5)} ${f(detail.p50)} ${f(detail.p95)} ${f(detail.mean)}`);
    console.log(`search / lookup:  p50 ${result.ratio.p50.toFixed(1)}×  p95 ${result.ratio.p95.toFixed(1)}×`);
    console.log(`search / detail:  p50 ${result.ratioToDetail.p50.toFixed(1)}×  p95 ${result.ratioToDetail.p95.toFixed(1)}×`);
    console.log(`matches: ${Object.entries(hits).map(([q, n]) => `${q} ${n}`).join(', ')}`);
    const ar = applicationsResult;
    console.log(`\napplications (sequential, service layer, ${ar.items} person items of the generated catalogue)`);
    console.log(`                                   n      p50 ms   p95 ms   mean ms   per second`);
    console.log(`create + upload + submit          ${String(ar.submitted.n).padStart(5)} ${f(ar.submitted.p50)} ${f(ar.submitted.p95)} ${f(ar.submitted.mean)} ${f(ar.submitted.perSecond)}`);
    console.log(`… with 秒批 rule evaluation        ${String(ar.autoEvaluated.n).padStart(5)} ${f(ar.autoEvaluated.p50)} ${f(ar.autoEvaluated.p95)} ${f(ar.autoEvaluated.mean)} ${f(ar.autoEvaluated.perSecond)}`);
    console.log(`plain insert of the same row      ${String(ar.plainInsert.n).padStart(5)} ${f(ar.plainInsert.p50)} ${f(ar.plainInsert.p95)} ${f(ar.plainInsert.mean)} ${f(ar.plainInsert.perSecond)}`);
    console.log(`plain insert / submitted:  per second ${ar.ratio.perSecond.toFixed(1)}×  p50 ${ar.ratio.p50.toFixed(1)}×`);
    console.log(ratioLine('catalogue search p95', lookup.p95 / search.p95, 'indexed lookup by code, p95'));
    console.log(ratioLine('application submit', 1 / ar.ratio.perSecond, 'plain insert of the same rows'));
  }
  await services.database.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
