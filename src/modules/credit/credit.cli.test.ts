// `dq credit validate` as a real process: exit codes (0 valid, 1 invalid, 2 usage), the JSON report
// and the human summary, on CSV and Excel files. No database is involved.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';

const DQ = path.resolve('bin/dq.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-credit-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dq(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [DQ, ...args], { cwd: tmp, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: path.join(tmp, 'no-db') } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const AUTH = '11230500001755309F';
const HEADER = 'CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_FRDB,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM';
const row = (doc: string, code = '91350200776049653A', fk = '0.2') => ['青岛示例有限公司', '法人及非法人组织', code, '王五', doc, '违规', '事实', '依据', '罚款', '罚款', fk, '2026-05-10', '2027-05-10', '青岛市公安局', AUTH, '青岛市公安局', AUTH].join(',');

function write(name: string, lines: string[]) {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

describe('dq credit validate', () => {
  it('runs the checks concurrently', async () => {
    const good = write('good.csv', [HEADER, row('A1'), row('A2')]);
    const bad = write('bad.csv', [HEADER, row('B1'), row('B2', '91350200776049653B'), row('B1', undefined, '2000元')]);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('p');
    ws.addRow(HEADER.split(','));
    ws.addRow(row('X1').split(','));
    ws.addRow(row('X2', '9135020077604965').split(','));
    const xlsx = path.join(tmp, 'p.xlsx');
    await wb.xlsx.writeFile(xlsx);
    const wrongHeader = write('wrong.csv', ['NOT_A_FIELD,CF_WSH', 'x,y']);

    const [ok, json, human, excel, usage1, usage2, usage3, header] = await Promise.all([
      dq(['credit', 'validate', '--kind', 'penalty', good]),
      dq(['credit', 'validate', '--kind', 'penalty', '--json', bad]),
      dq(['credit', 'validate', '--kind', 'penalty', bad]),
      dq(['credit', 'validate', '--kind', 'penalty', '--json', xlsx]),
      dq(['credit', 'validate', '--kind', 'fine', good]),
      dq(['credit', 'validate', '--kind', 'penalty', path.join(tmp, 'missing.csv')]),
      dq(['credit', 'validate', good]),
      dq(['credit', 'validate', '--kind', 'penalty', wrongHeader]),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('2 rows, 2 valid, 0 invalid');

    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: false, total: 3, valid: 1, invalid: 2 });
    expect(report.problems.map((p: { row: number; field: string; code: string }) => `${p.row}:${p.field}:${p.code}`)).toEqual(['3:CF_XDR_SHXYM:credit-code-check', '4:CF_NR_FK:amount-format', '4:CF_WSH:duplicate-in-file']);
    expect(Object.keys(report.problems[0]).sort()).toEqual(['code', 'field', 'message', 'row']);

    expect(human.code).toBe(1);
    expect(human.stdout).toContain('3 rows, 1 valid, 2 invalid');
    expect(human.stdout).toContain('row 3 CF_XDR_SHXYM [credit-code-check]');

    expect(excel.code).toBe(1);
    expect(JSON.parse(excel.stdout).problems).toEqual([expect.objectContaining({ row: 3, field: 'CF_XDR_SHXYM', code: 'credit-code-format' })]);

    for (const u of [usage1, usage2, usage3]) expect(u.code).toBe(2);
    expect(header.code).toBe(1);
    expect(header.stderr).toContain('NOT_A_FIELD');
    // Validation needs no database: none was created.
    expect(fs.existsSync(path.join(tmp, 'no-db'))).toBe(false);
  });
});
