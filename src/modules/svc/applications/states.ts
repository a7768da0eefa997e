// The application workflow, encoded once: which action moves which state to which, and who may take it.
export const STATES = ['draft', 'submitted', 'accepted', 'correction_requested', 'resubmitted', 'approved', 'rejected', 'completed', 'withdrawn'] as const;
export type State = (typeof STATES)[number];

export type ActionBy = 'applicant' | 'staff' | 'system';

export interface Transition {
  from: readonly State[];
  to: State;
  by: ActionBy;
  reasonRequired?: boolean;
}

export const TRANSITIONS = {
  submit: { from: ['draft'], to: 'submitted', by: 'applicant' },
  withdraw: { from: ['draft', 'submitted', 'accepted', 'correction_requested', 'resubmitted'], to: 'withdrawn', by: 'applicant' },
  accept: { from: ['submitted', 'resubmitted'], to: 'accepted', by: 'staff' },
  request_correction: { from: ['accepted'], to: 'correction_requested', by: 'staff', reasonRequired: true },
  resubmit: { from: ['correction_requested'], to: 'resubmitted', by: 'applicant' },
  approve: { from: ['accepted'], to: 'approved', by: 'staff' },
  reject: { from: ['submitted', 'accepted', 'resubmitted'], to: 'rejected', by: 'staff', reasonRequired: true },
  complete: { from: ['approved', 'rejected'], to: 'completed', by: 'staff' },
  auto_approve: { from: ['submitted'], to: 'approved', by: 'system' },
} as const satisfies Record<string, Transition>;
export type Action = keyof typeof TRANSITIONS;
export const STAFF_ACTIONS = (Object.keys(TRANSITIONS) as Action[]).filter((a) => TRANSITIONS[a].by === 'staff');

/** The promised time limit runs in these states (it stops while the applicant corrects). */
export const CLOCK_RUNNING: readonly State[] = ['submitted', 'accepted', 'resubmitted'];
export const FINAL: readonly State[] = ['completed', 'withdrawn'];

export const STATE_LABELS: Record<State, string> = {
  draft: '草稿',
  submitted: '已提交',
  accepted: '已受理',
  correction_requested: '待补正',
  resubmitted: '已补正',
  approved: '已批准',
  rejected: '不予批准',
  completed: '已办结',
  withdrawn: '已撤回',
};

export function canTransition(state: State, action: Action): boolean {
  return (TRANSITIONS[action].from as readonly State[]).includes(state);
}
