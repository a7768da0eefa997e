// 双公示 validation benchmark: generates a penalty file of --rows rows (default 500,000; about 1 % of
// them with a planted error) in a fresh temporary folder, then in the same run measures
//   1. a plain CSV parse of the file (csv-parse, streaming from disk, counting records), and
//   2. the credit validator over the same file, streaming from disk through the platform's tabular
//      reader (header mapping, row numbers) and every intake rule, duplicates within the file included,
// and prints rows per second for both and the ratio. The file is deleted afterwards; nothing is committed.
//
//   node --import tsx bench/credit-validate.ts [--rows 500000] [--json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { creditRows } from '../src/modules/credit/credit.files';
import { PENALTY_FIELDS } from '../src/modules/credit/fields';
import { validateRows } from '../src/modules/credit/validator';
import { makeCitizenId, makeCreditCode } from '../src/platform/ids';
import { ratioLine } from './common';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '500000' }, json: { type: 'boolean', default: false } } });
const total = Number(args.rows);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-bench-credit-'));
const file = path.join(dir, 'penalties.csv');

async function generate() {
  const out = fs.createWriteStream(file);
  const codes = PENALTY_FIELDS.map((f) => f.code);
  const authority = makeCreditCode('370200', 'QD0000GAJ', '1', '1');
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  await write(out, codes.join(',') + '\n');
  const subjects = Array.from({ length: 1000 }, (_, i) => makeCreditCode('370202', `MA${String(1_000_000 + i * 37).padStart(7, '0')}`));
  for (let i = 0; i < total; i++) {
    const person = i % 10 === 0;
    const bad = i % 100 === 7;
    const r: Record<string, string> = {
      CF_XDR_MC: person ? `张${i % 97}` : `青岛第${i % 1000}号示例有限公司`,
      CF_XDR_LB: person ? '自然人' : '法人及非法人组织',
      CF_XDR_SHXYM: person ? '' : subjects[i % 1000],
      CF_FRDB: person ? '' : '王五',
      CF_XDR_ZJLX: person ? '身份证' : '',
      CF_XDR_ZJHM: person ? makeCitizenId('370202', `19${String(50 + (i % 40))}-0${1 + (i % 9)}-1${i % 10}`, i % 999) : '',
      CF_WSH: `青公罚决字〔2026〕${i}号`,
      CF_WFXW: '违反消防安全管理规定',
      CF_SY: '经营场所疏散通道堵塞，消防设施未保持完好有效',
      CF_YJ: '《中华人民共和国消防法》第六十条第一款',
      CF_CFLB: i % 3 === 0 ? '罚款；没收违法所得' : '罚款',
      CF_NR: '罚款人民币贰仟元',
      CF_NR_FK: bad ? '2000元' : '0.2',
      CF_NR_WFFF: i % 3 === 0 ? '1.5' : '',
      CF_JDRQ: `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
      CF_YXQ: '2027-12-31',
      CF_CFJG: '青岛市公安局',
      CF_CFJGDM: authority,
      CF_SJLY: '青岛市公安局',
      CF_SJLYDM: authority,
    };
    await write(out, codes.map((c) => q(r[c] ?? '')).join(',') + '\n');
  }
  out.end();
  await once(out, 'finish');
}

async function write(out: fs.WriteStream, s: string) {
  if (!out.write(s)) await once(out, 'drain');
}

async function plainParse(): Promise<number> {
  let n = 0;
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
  for await (const _ of parser) n++;
  return n - 1; // header
}

async function validate(): Promise<{ rows: number; invalid: number; problems: number }> {
  let rows = 0;
  let invalid = 0;
  let problems = 0;
  const input = creditRows('penalty', 'csv', fs.createReadStream(file), Number.MAX_SAFE_INTEGER);
  for await (const r of validateRows('penalty', input, { today: '2026-11-27' })) {
    rows++;
    if (r.problems.length) invalid++;
    problems += r.problems.length;
  }
  return { rows, invalid, problems };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

try {
  const gen = await timed(generate);
  const bytes = fs.statSync(file).size;
  // Warm-up pass over a little of the file is not needed: each pass reads the whole file once; parse first, then validate.
  const parsed = await timed(plainParse);
  const checked = await timed(validate);
  const parseRate = parsed.value / parsed.seconds;
  const validateRate = checked.value.rows / checked.seconds;
  const result = {
    rows: total,
    fileMB: Math.round((bytes / 1024 / 1024) * 10) / 10,
    generateSeconds: Math.round(gen.seconds * 10) / 10,
    plainParse: { rows: parsed.value, seconds: Math.round(parsed.seconds * 100) / 100, rowsPerSecond: Math.round(parseRate) },
    validate: { rows: checked.value.rows, invalidRows: checked.value.invalid, problems: checked.value.problems, seconds: Math.round(checked.seconds * 100) / 100, rowsPerSecond: Math.round(validateRate) },
    ratio: Math.round((validateRate / parseRate) * 1000) / 1000,
    node: process.version,
    cpus: os.cpus().length,
  };
  if (parsed.value !== total || checked.value.rows !== total) throw new Error(`row counts differ: generated ${total}, parsed ${parsed.value}, validated ${checked.value.rows}`);
  if (args.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    process.stdout.write(
      [
        `file: ${result.rows} penalty rows, ${result.fileMB} MB (generated in ${result.generateSeconds} s)`,
        `plain CSV parse:  ${result.plainParse.rowsPerSecond.toLocaleString('en')} rows/s (${result.plainParse.seconds} s)`,
        `validator:        ${result.validate.rowsPerSecond.toLocaleString('en')} rows/s (${result.validate.seconds} s; ${result.validate.invalidRows} invalid rows, ${result.validate.problems} problems)`,
        ratioLine('credit validation', validateRate / parseRate, 'plain csv-parse of the file'),
      ].join('\n') + '\n',
    );
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
