// Credit supervision (issue 6): 双公示 publication with validation first, public lookup, credit repair.
export { CreditService, CREDIT, DEFAULT_SETTINGS, maskName, type CreditSettings } from './credit.service';
export { RepairService, OUTBOX_JOB, EXPIRE_JOB, REPAIR_MATERIALS } from './repair.service';
export { creditRoutes } from './credit.routes';
export { seedCreditDemo, seedCreditReference, demoAuthorityCode } from './credit.seed';
export { RecordValidator, validateRecord, validateRows, PROBLEM_CODES, type Problem } from './validator';
export { validateFile } from './credit.files';
