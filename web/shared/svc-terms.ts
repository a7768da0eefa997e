// Application states in one wording for everyone who reads them (applicants in the portal, staff in the console).
import type { BilingualTree } from './i18n';

export const APPLICATION_STATE_TERMS: BilingualTree = {
  draft: ['草稿', 'Draft'],
  submitted: ['已提交', 'Submitted'],
  accepted: ['已受理', 'Accepted'],
  correction_requested: ['待补正', 'Correction requested'],
  resubmitted: ['已补正', 'Resubmitted'],
  approved: ['已批准', 'Approved'],
  rejected: ['不予批准', 'Rejected'],
  completed: ['已办结', 'Completed'],
  withdrawn: ['已撤回', 'Withdrawn'],
};
