// Catalogue search benchmark: the full-size demo catalogue (≈7,560 items) on an embedded database in a
// fresh temporary folder; search latency over realistic queries against a plain indexed lookup (an item
// by its code, a unique b-tree index) on the same data, in the same run.
//
//   node --import tsx bench/search.ts [--rounds 20] [--json]
//
// Both are measured through the service layer (no HTTP), each query run sequentially: p50/p95 in ms and
// the ratio search/lookup. Generation time is printed too (batched inserts in one transaction).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createServices, seed } from '../src/app';
import { loadConfig } from '../src/config';
import { CatalogueService, generateCatalogue } from '../src/modules/svc';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '20' }, json: { type: 'boolean', default: false } } });
const rounds = Number(args.rounds);

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
  };
  if (args.json) console.log(JSON.stringify(result, null, 2));
  else {
    const f = (x: number) => x.toFixed(2).padStart(8);
    console.log(`catalogue: ${result.items} items on ${result.database} (generated ${gen.created} in ${gen.ms} ms: ${gen.departments} department, ${gen.districts} district)`);
    console.log(`                                   n      p50 ms   p95 ms   mean ms`);
    console.log(`search (${QUERIES.length} queries × ${rounds})      ${String(search.n).padStart(5)} ${f(search.p50)} ${f(search.p95)} ${f(search.mean)}`);
    console.log(`lookup by code (indexed)          ${String(lookup.n).padStart(5)} ${f(lookup.p50)} ${f(lookup.p95)} ${f(lookup.mean)}`);
    console.log(`item detail by code (service)     ${String(detail.n).padStart(5)} ${f(detail.p50)} ${f(detail.p95)} ${f(detail.mean)}`);
    console.log(`ratio search / lookup:  p50 ${result.ratio.p50.toFixed(1)}×  p95 ${result.ratio.p95.toFixed(1)}×`);
    console.log(`ratio search / detail:  p50 ${result.ratioToDetail.p50.toFixed(1)}×  p95 ${result.ratioToDetail.p95.toFixed(1)}×`);
    console.log(`matches: ${Object.entries(hits).map(([q, n]) => `${q} ${n}`).join(', ')}`);
  }
  await services.database.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
