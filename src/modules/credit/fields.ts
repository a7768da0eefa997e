// The 双公示 field lists of STANDARDS.md: codes (the JSON keys and file headers), Chinese names (also
// accepted as headers), need (M mandatory, C conditional, O optional), kind of value and value lists.
import type { Column } from '../../platform/files';

export type CreditKind = 'licence' | 'penalty';
export const CREDIT_KINDS: CreditKind[] = ['licence', 'penalty'];

export type FieldType = 'text' | 'longtext' | 'date' | 'amount' | 'list' | 'creditCode' | 'idNumber';

export interface FieldDef {
  code: string;
  zh: string;
  need: 'M' | 'C' | 'O';
  type: FieldType;
  max: number;
  options?: readonly string[];
}

export const SUBJECT_KINDS = ['法人及非法人组织', '自然人', '个体工商户'] as const;
export const ID_TYPES = ['身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证'] as const;
export const LICENCE_CATEGORIES = ['普通', '特许', '认可', '核准', '登记', '其他'] as const;
export const LICENCE_STATES = ['1', '2'] as const;
export const PENALTY_CATEGORIES = ['警告', '通报批评', '罚款', '没收违法所得', '没收非法财物', '暂扣许可证件', '吊销许可证件', '降低资质等级', '限制开展生产经营活动', '责令停产停业', '责令关闭', '限制从业', '行政拘留', '其他'] as const;
/** Long-term validity is written as this date, never as 9999-12-31 or a blank. */
export const LONG_TERM = '2099-12-31';

function subjectBlock(p: 'XK' | 'CF'): FieldDef[] {
  return [
    { code: `${p}_XDR_MC`, zh: '相对人名称', need: 'M', type: 'text', max: 200 },
    { code: `${p}_XDR_LB`, zh: '相对人类别', need: 'M', type: 'list', max: 20, options: SUBJECT_KINDS },
    { code: `${p}_XDR_SHXYM`, zh: '统一社会信用代码', need: 'C', type: 'creditCode', max: 18 },
    { code: `${p}_XDR_GSZC`, zh: '工商注册号', need: 'O', type: 'text', max: 50 },
    { code: `${p}_XDR_ZZJG`, zh: '组织机构代码', need: 'O', type: 'text', max: 50 },
    { code: `${p}_XDR_SWDJ`, zh: '税务登记号', need: 'O', type: 'text', max: 50 },
    { code: `${p}_XDR_SYDW`, zh: '事业单位证书号', need: 'O', type: 'text', max: 50 },
    { code: `${p}_XDR_SHZZ`, zh: '社会组织登记证号', need: 'O', type: 'text', max: 50 },
    { code: `${p}_FRDB`, zh: '法定代表人', need: 'C', type: 'text', max: 50 },
    { code: `${p}_FR_ZJLX`, zh: '法定代表人证件类型', need: 'O', type: 'list', max: 30, options: ID_TYPES },
    { code: `${p}_FR_ZJHM`, zh: '法定代表人证件号码', need: 'O', type: 'idNumber', max: 64 },
    { code: `${p}_XDR_ZJLX`, zh: '证件类型', need: 'C', type: 'list', max: 30, options: ID_TYPES },
    { code: `${p}_XDR_ZJHM`, zh: '证件号码', need: 'C', type: 'idNumber', max: 64 },
  ];
}

export const LICENCE_FIELDS: FieldDef[] = [
  ...subjectBlock('XK'),
  { code: 'XK_XKWS', zh: '行政许可决定文书名称', need: 'M', type: 'text', max: 200 },
  { code: 'XK_WSH', zh: '行政许可决定文书号', need: 'M', type: 'text', max: 128 },
  { code: 'XK_XKLB', zh: '许可类别', need: 'M', type: 'list', max: 10, options: LICENCE_CATEGORIES },
  { code: 'XK_XKZS', zh: '许可证书名称', need: 'O', type: 'text', max: 200 },
  { code: 'XK_XKBH', zh: '许可编号', need: 'O', type: 'text', max: 128 },
  { code: 'XK_NR', zh: '许可内容', need: 'M', type: 'longtext', max: 4000 },
  { code: 'XK_JDRQ', zh: '许可决定日期', need: 'M', type: 'date', max: 10 },
  { code: 'XK_YXQZ', zh: '有效期自', need: 'M', type: 'date', max: 10 },
  { code: 'XK_YXQZI', zh: '有效期至', need: 'M', type: 'date', max: 10 },
  { code: 'XK_XKJG', zh: '许可机关', need: 'M', type: 'text', max: 200 },
  { code: 'XK_XKJGDM', zh: '许可机关统一社会信用代码', need: 'M', type: 'creditCode', max: 18 },
  { code: 'XK_ZT', zh: '当前状态', need: 'M', type: 'list', max: 1, options: LICENCE_STATES },
  { code: 'XK_LYDW', zh: '数据来源单位', need: 'M', type: 'text', max: 200 },
  { code: 'XK_LYDWDM', zh: '数据来源单位统一社会信用代码', need: 'M', type: 'creditCode', max: 18 },
  { code: 'BZ', zh: '备注', need: 'O', type: 'longtext', max: 1000 },
];

export const PENALTY_FIELDS: FieldDef[] = [
  ...subjectBlock('CF'),
  { code: 'CF_WSH', zh: '行政处罚决定书文号', need: 'M', type: 'text', max: 128 },
  { code: 'CF_WFXW', zh: '违法行为类型', need: 'M', type: 'text', max: 2000 },
  { code: 'CF_SY', zh: '违法事实', need: 'M', type: 'longtext', max: 4000 },
  { code: 'CF_YJ', zh: '处罚依据', need: 'M', type: 'longtext', max: 2000 },
  { code: 'CF_CFLB', zh: '处罚类别', need: 'M', type: 'list', max: 200, options: PENALTY_CATEGORIES },
  { code: 'CF_NR', zh: '处罚内容', need: 'M', type: 'longtext', max: 4000 },
  { code: 'CF_NR_FK', zh: '罚款金额（万元）', need: 'C', type: 'amount', max: 20 },
  { code: 'CF_NR_WFFF', zh: '没收违法所得、没收非法财物的金额（万元）', need: 'C', type: 'amount', max: 20 },
  { code: 'CF_NR_ZKDX', zh: '暂扣或吊销证照名称及编号', need: 'C', type: 'text', max: 200 },
  { code: 'CF_JDRQ', zh: '处罚决定日期', need: 'M', type: 'date', max: 10 },
  { code: 'CF_YXQ', zh: '处罚有效期', need: 'M', type: 'date', max: 10 },
  { code: 'CF_GSJZQ', zh: '公示截止期', need: 'O', type: 'date', max: 10 },
  { code: 'CF_CFJG', zh: '处罚机关', need: 'M', type: 'text', max: 200 },
  { code: 'CF_CFJGDM', zh: '处罚机关统一社会信用代码', need: 'M', type: 'creditCode', max: 18 },
  { code: 'CF_SJLY', zh: '数据来源单位', need: 'M', type: 'text', max: 200 },
  { code: 'CF_SJLYDM', zh: '数据来源单位统一社会信用代码', need: 'M', type: 'creditCode', max: 18 },
  { code: 'BZ', zh: '备注', need: 'O', type: 'longtext', max: 1000 },
];

export const FIELDS: Record<CreditKind, FieldDef[]> = { licence: LICENCE_FIELDS, penalty: PENALTY_FIELDS };

/** Which fields name what, per kind: the document number, the deciding authority, the subject. */
export const KEYS = {
  licence: { prefix: 'XK', docNo: 'XK_WSH', authorityCode: 'XK_XKJGDM', authorityName: 'XK_XKJG', decisionDate: 'XK_JDRQ' },
  penalty: { prefix: 'CF', docNo: 'CF_WSH', authorityCode: 'CF_CFJGDM', authorityName: 'CF_CFJG', decisionDate: 'CF_JDRQ' },
} as const;

/** Columns for tabular import/export: the code is the key, the Chinese name the alternative header. */
export function columnsOf(kind: CreditKind): Column[] {
  return FIELDS[kind].map((f) => ({ key: f.code, header: f.zh, width: f.type === 'longtext' ? 40 : 20 }));
}

/** Split a multi-valued category cell (罚款；没收违法所得). */
export function splitCategories(v: string): string[] {
  return v
    .split(/[;；、,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
