// What a credit repair is: its states and the actions that move them, the materials an application may
// carry, and what the applicant is told at each step. The rooms of the repair service share these.
import type { creditRecords, creditRepairs } from './credit.schema';

export const OUTBOX_JOB = 'credit.outbox.deliver';
export const EXPIRE_JOB = 'credit.publication.expire';

/** Materials an application may carry (STANDARDS.md "Credit repair"); proof of performance is required. */
export const REPAIR_MATERIALS: Record<string, { zh: string; required: boolean }> = {
  performance_proof: { zh: '履行法定义务、纠正违法行为的证明（如罚款缴纳凭证、整改报告）', required: true },
  application_form: { zh: '信用修复申请书', required: false },
  licence: { zh: '营业执照', required: false },
  agent_id: { zh: '经办人身份证明', required: false },
  authorisation: { zh: '法定代表人身份证明或授权委托书', required: false },
};
export const MATERIAL_MAX_BYTES = 10 * 1024 * 1024;
export const MATERIAL_TYPES = { pdf: 'application/pdf', jpg: 'image/jpeg', png: 'image/png' } as const;

export const REPAIR_STATES = ['draft', 'submitted', 'accepted', 'material_requested', 'resubmitted', 'rejected', 'withdrawn', 'synced'] as const;
export type RepairState = (typeof REPAIR_STATES)[number];
export const OPEN: RepairState[] = ['draft', 'submitted', 'accepted', 'material_requested', 'resubmitted'];

/** Which action moves which state; anything else is a 409. */
export const TRANSITIONS: Record<string, { from: RepairState[]; to: RepairState; side: 'applicant' | 'staff' }> = {
  submit: { from: ['draft'], to: 'submitted', side: 'applicant' },
  resubmit: { from: ['material_requested'], to: 'resubmitted', side: 'applicant' },
  accept: { from: ['submitted'], to: 'accepted', side: 'staff' },
  'request-material': { from: ['accepted', 'resubmitted'], to: 'material_requested', side: 'staff' },
  approve: { from: ['accepted', 'resubmitted'], to: 'withdrawn', side: 'staff' },
  reject: { from: ['submitted', 'accepted', 'resubmitted'], to: 'rejected', side: 'staff' },
};

export const NOTICE: Record<string, string> = {
  submit: '信用修复申请已提交',
  accept: '信用修复申请已受理',
  'request-material': '信用修复申请需补充材料',
  resubmit: '信用修复补充材料已提交',
  approve: '信用修复申请已通过，相关信息已停止公示',
  reject: '信用修复申请未通过',
};

export type RepairRow = typeof creditRepairs.$inferSelect;
export type RecordRow = typeof creditRecords.$inferSelect;
