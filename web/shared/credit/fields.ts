// The standard's 双公示 field codes with their names, for forms, tables and problem reports.
import type { CreditFields, CreditKind } from './types';

export type FieldType = 'text' | 'longtext' | 'date' | 'amount' | 'select';

export interface FieldDef {
  code: string;
  zh: string;
  en: string;
  /** M mandatory, C conditional, O optional (STANDARDS.md "双公示"). */
  need: 'M' | 'C' | 'O';
  type: FieldType;
  options?: string[];
  /** When the condition applies, for the form's hint. */
  when?: [zh: string, en: string];
}

const SUBJECT_KINDS = ['法人及非法人组织', '自然人', '个体工商户'];
const ID_TYPES = ['身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证'];

function subjectBlock(p: 'XK' | 'CF'): FieldDef[] {
  return [
    { code: `${p}_XDR_MC`, zh: '相对人名称', en: 'Subject name', need: 'M', type: 'text' },
    { code: `${p}_XDR_LB`, zh: '相对人类别', en: 'Subject category', need: 'M', type: 'select', options: SUBJECT_KINDS },
    { code: `${p}_XDR_SHXYM`, zh: '统一社会信用代码', en: 'Unified social credit code', need: 'C', type: 'text', when: ['法人及非法人组织、个体工商户必填', 'Required for organisations and sole traders'] },
    { code: `${p}_XDR_GSZC`, zh: '工商注册号', en: 'Business registration no.', need: 'O', type: 'text' },
    { code: `${p}_XDR_ZZJG`, zh: '组织机构代码', en: 'Organisation code', need: 'O', type: 'text' },
    { code: `${p}_XDR_SWDJ`, zh: '税务登记号', en: 'Tax registration no.', need: 'O', type: 'text' },
    { code: `${p}_XDR_SYDW`, zh: '事业单位证书号', en: 'Public institution certificate no.', need: 'O', type: 'text' },
    { code: `${p}_XDR_SHZZ`, zh: '社会组织登记证号', en: 'Social organisation registration no.', need: 'O', type: 'text' },
    { code: `${p}_FRDB`, zh: '法定代表人', en: 'Legal representative', need: 'C', type: 'text', when: ['法人及非法人组织必填', 'Required for organisations'] },
    { code: `${p}_FR_ZJLX`, zh: '法定代表人证件类型', en: 'Representative ID type', need: 'O', type: 'select', options: ID_TYPES },
    { code: `${p}_FR_ZJHM`, zh: '法定代表人证件号码', en: 'Representative ID number', need: 'O', type: 'text' },
    { code: `${p}_XDR_ZJLX`, zh: '证件类型', en: 'ID type', need: 'C', type: 'select', options: ID_TYPES, when: ['自然人必填', 'Required for natural persons'] },
    { code: `${p}_XDR_ZJHM`, zh: '证件号码', en: 'ID number', need: 'C', type: 'text', when: ['自然人必填', 'Required for natural persons'] },
  ];
}

export const LICENCE_FIELDS: FieldDef[] = [
  ...subjectBlock('XK'),
  { code: 'XK_XKWS', zh: '行政许可决定文书名称', en: 'Decision document title', need: 'M', type: 'text' },
  { code: 'XK_WSH', zh: '行政许可决定文书号', en: 'Decision document no.', need: 'M', type: 'text' },
  { code: 'XK_XKLB', zh: '许可类别', en: 'Licence category', need: 'M', type: 'select', options: ['普通', '特许', '认可', '核准', '登记', '其他'] },
  { code: 'XK_XKZS', zh: '许可证书名称', en: 'Certificate name', need: 'O', type: 'text' },
  { code: 'XK_XKBH', zh: '许可编号', en: 'Licence no.', need: 'O', type: 'text' },
  { code: 'XK_NR', zh: '许可内容', en: 'Licence content', need: 'M', type: 'longtext' },
  { code: 'XK_JDRQ', zh: '许可决定日期', en: 'Decision date', need: 'M', type: 'date' },
  { code: 'XK_YXQZ', zh: '有效期自', en: 'Valid from', need: 'M', type: 'date' },
  { code: 'XK_YXQZI', zh: '有效期至', en: 'Valid until', need: 'M', type: 'date', when: ['长期有效填 2099-12-31', 'Long-term: 2099-12-31'] },
  { code: 'XK_XKJG', zh: '许可机关', en: 'Licensing authority', need: 'M', type: 'text' },
  { code: 'XK_XKJGDM', zh: '许可机关统一社会信用代码', en: 'Authority credit code', need: 'M', type: 'text' },
  { code: 'XK_ZT', zh: '当前状态', en: 'Current state', need: 'M', type: 'select', options: ['1', '2'] },
  { code: 'XK_LYDW', zh: '数据来源单位', en: 'Data source unit', need: 'M', type: 'text' },
  { code: 'XK_LYDWDM', zh: '数据来源单位统一社会信用代码', en: 'Source unit credit code', need: 'M', type: 'text' },
  { code: 'BZ', zh: '备注', en: 'Remarks', need: 'O', type: 'longtext' },
];

export const PENALTY_FIELDS: FieldDef[] = [
  ...subjectBlock('CF'),
  { code: 'CF_WSH', zh: '行政处罚决定书文号', en: 'Decision document no.', need: 'M', type: 'text' },
  { code: 'CF_WFXW', zh: '违法行为类型', en: 'Type of offence', need: 'M', type: 'text' },
  { code: 'CF_SY', zh: '违法事实', en: 'Facts of the offence', need: 'M', type: 'longtext' },
  { code: 'CF_YJ', zh: '处罚依据', en: 'Legal basis', need: 'M', type: 'longtext' },
  { code: 'CF_CFLB', zh: '处罚类别', en: 'Penalty category', need: 'M', type: 'text' },
  { code: 'CF_NR', zh: '处罚内容', en: 'Penalty content', need: 'M', type: 'longtext' },
  { code: 'CF_NR_FK', zh: '罚款金额（万元）', en: 'Fine (10,000 yuan)', need: 'C', type: 'amount', when: ['处罚类别含罚款时必填，单位万元（2000 元填 0.2）', 'Required for fines, in 10,000 yuan (2,000 yuan is 0.2)'] },
  { code: 'CF_NR_WFFF', zh: '没收违法所得、没收非法财物的金额（万元）', en: 'Confiscated amount (10,000 yuan)', need: 'C', type: 'amount', when: ['处罚类别含没收时必填', 'Required for confiscation'] },
  { code: 'CF_NR_ZKDX', zh: '暂扣或吊销证照名称及编号', en: 'Suspended or revoked licence', need: 'C', type: 'text', when: ['处罚类别含暂扣或吊销时必填', 'Required for suspension or revocation'] },
  { code: 'CF_JDRQ', zh: '处罚决定日期', en: 'Decision date', need: 'M', type: 'date' },
  { code: 'CF_YXQ', zh: '处罚有效期', en: 'Penalty valid until', need: 'M', type: 'date' },
  { code: 'CF_GSJZQ', zh: '公示截止期', en: 'Publication ends', need: 'O', type: 'date' },
  { code: 'CF_CFJG', zh: '处罚机关', en: 'Deciding authority', need: 'M', type: 'text' },
  { code: 'CF_CFJGDM', zh: '处罚机关统一社会信用代码', en: 'Authority credit code', need: 'M', type: 'text' },
  { code: 'CF_SJLY', zh: '数据来源单位', en: 'Data source unit', need: 'M', type: 'text' },
  { code: 'CF_SJLYDM', zh: '数据来源单位统一社会信用代码', en: 'Source unit credit code', need: 'M', type: 'text' },
  { code: 'BZ', zh: '备注', en: 'Remarks', need: 'O', type: 'longtext' },
];

export const PENALTY_CATEGORIES = ['警告', '通报批评', '罚款', '没收违法所得', '没收非法财物', '暂扣许可证件', '吊销许可证件', '降低资质等级', '限制开展生产经营活动', '责令停产停业', '责令关闭', '限制从业', '行政拘留', '其他'];

export function fieldsOf(kind: CreditKind): FieldDef[] {
  return kind === 'licence' ? LICENCE_FIELDS : PENALTY_FIELDS;
}

const BY_CODE = new Map<string, FieldDef>([...LICENCE_FIELDS, ...PENALTY_FIELDS].map((f) => [f.code, f]));

/** "相对人名称" for "CF_XDR_MC"; the code itself for a field the list does not know. */
export function fieldName(code: string, locale: string): string {
  const f = BY_CODE.get(code);
  if (!f) return code;
  return locale === 'en' ? f.en : f.zh;
}

/** The subject, document number and decision date of a record of either kind. */
export function recordSummary(kind: CreditKind, r: CreditFields): { name: string; code: string; docNo: string; decided: string; content: string } {
  const p = kind === 'licence' ? 'XK' : 'CF';
  const s = (k: string) => (r[k] === null || r[k] === undefined ? '' : String(r[k]));
  return {
    name: s(`${p}_XDR_MC`),
    code: s(`${p}_XDR_SHXYM`) || s(`${p}_XDR_ZJHM`),
    docNo: s(`${p}_WSH`),
    decided: s(`${p}_JDRQ`),
    content: kind === 'licence' ? s('XK_NR') : s('CF_NR'),
  };
}
