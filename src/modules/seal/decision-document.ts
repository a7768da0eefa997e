// The decision document (准予许可决定书) of an approved service-hall application, laid out on one A4
// page in Chinese. The caller seals it over the issuing department's name and date.
import { PDFDocument, rgb } from 'pdf-lib';
import { CjkText } from './cjk-font';

export interface DecisionFacts {
  applicationId: string;
  applicantName: string;
  itemName: string;
  itemCode: string;
  departmentName: string;
  cityName: string;
  /** yyyy-mm-dd in Asia/Shanghai. */
  decisionDate: string;
  submittedDate: string | null;
  automatic: boolean;
}

export const A4: [number, number] = [595.28, 841.89];
const MARGIN = 72;

const chineseDate = (d: string) => {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

/** Characters a line must not start with (closing punctuation), per the usual Chinese typesetting rule. */
const NO_LINE_START = new Set([...'，。、；：！？）》」』”’】〕…·,.;:!?)']);

/** Greedy line breaking by character (Chinese text has no spaces to break at). */
function wrap(text: CjkText, s: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of s) {
    if (line && text.width(line + ch, size) > width) {
      // Carry the last character over so closing punctuation never opens a line.
      const carry = NO_LINE_START.has(ch) && [...line].length > 1 ? [...line].slice(-1).join('') : '';
      lines.push(carry ? [...line].slice(0, -1).join('') : line);
      line = carry;
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

export function documentNumber(f: DecisionFacts): string {
  return `青政许决〔${f.decisionDate.slice(0, 4)}〕${f.applicationId.replace(/-/g, '').slice(0, 8).toUpperCase()}号`;
}

/** Lay out the document; returns it unsaved with where the seal goes (over the department's name). */
export async function layoutDecision(f: DecisionFacts): Promise<{ doc: PDFDocument; sealAt: { x: number; y: number } }> {
  const doc = await PDFDocument.create();
  doc.setTitle(`准予许可决定书 ${documentNumber(f)}`, { showInWindowTitleBar: true });
  doc.setAuthor(f.departmentName);
  doc.setLanguage('zh-CN');
  const page = doc.addPage(A4);
  const [w, h] = A4;
  const title = CjkText.forStyle(doc, 'serif-bold');
  const body = CjkText.forStyle(doc, 'serif');
  const black: [number, number, number] = [0.1, 0.1, 0.1];
  const red: [number, number, number] = [0.75, 0.05, 0.08];

  // Masthead in red, as on official documents, with a rule under it.
  const head = `${f.departmentName}`;
  title.draw(page, head, { x: (w - title.width(head, 26)) / 2, y: h - 110, size: 26, color: red });
  page.drawLine({ start: { x: MARGIN, y: h - 126 }, end: { x: w - MARGIN, y: h - 126 }, thickness: 1.5, color: rgb(...red) });
  const heading = '准予许可决定书';
  title.draw(page, heading, { x: (w - title.width(heading, 22)) / 2, y: h - 175, size: 22, color: black });
  const number = documentNumber(f);
  body.draw(page, number, { x: (w - body.width(number, 12)) / 2, y: h - 200, size: 12, color: black });

  let y = h - 245;
  const size = 14;
  const lead = 26;
  const textWidth = w - 2 * MARGIN;
  const para = (s: string, indent = true) => {
    const lines = wrap(body, (indent ? '\u3000\u3000' : '') + s, size, textWidth);
    for (const l of lines) {
      body.draw(page, l, { x: MARGIN, y, size, color: black });
      y -= lead;
    }
  };
  para(`${f.applicantName}：`, false);
  const submitted = f.submittedDate ? `于${chineseDate(f.submittedDate)}` : '';
  para(`你（单位）${submitted}提出的“${f.itemName}”申请（申请编号：${f.applicationId}），本机关已依法受理。经审查，该申请符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予许可。`);
  para(f.automatic ? '本决定由政务服务“秒批”系统依据公开的审批规则自动作出。' : '本决定经本机关工作人员审查后作出。');
  para('如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。');
  y -= lead / 2;
  const facts: [string, string][] = [
    ['申请人', f.applicantName],
    ['申请事项', `${f.itemName}（${f.itemCode}）`],
    ['申请编号', f.applicationId],
    ['决定日期', chineseDate(f.decisionDate)],
  ];
  for (const [k, v] of facts) {
    body.draw(page, `${k}：`, { x: MARGIN, y, size: 12, color: black });
    for (const [i, l] of wrap(body, v, 12, textWidth - 80).entries()) body.draw(page, l, { x: MARGIN + 80, y: y - i * 20, size: 12, color: black });
    y -= 24;
  }

  // The issuer block, right-aligned; the seal is pressed over it.
  const dateText = chineseDate(f.decisionDate);
  const blockRight = w - MARGIN - 20;
  const nameY = Math.min(y - 60, 220);
  body.draw(page, f.departmentName, { x: blockRight - body.width(f.departmentName, 14), y: nameY, size: 14, color: black });
  body.draw(page, dateText, { x: blockRight - body.width(dateText, 14), y: nameY - 26, size: 14, color: black });
  const note = `本文书已加盖${f.departmentName}电子印章，可在“${f.cityName}政务服务网 · 电子印章验证”页面核验。`;
  for (const [i, l] of wrap(body, note, 9, textWidth).entries()) body.draw(page, l, { x: MARGIN, y: 60 - i * 14, size: 9, color: [0.4, 0.4, 0.4] });
  title.finish();
  body.finish();
  return { doc, sealAt: { x: blockRight - Math.max(body.width(f.departmentName, 14), 119) / 2, y: nameY - 6 } };
}
