// Asking for data: requests and demands, the deadline workflow with escalation, and the dashboard.
//
// A request walks: compliance (the bureau, N working days) → the provider's answer (5 working days when
// the resource is servable, 10 when it must first be published) → core-grade approval by the bureau →
// approved (a gateway grant in the same transaction) | refused | returned (the consumer may resubmit) |
// withdrawn. Upstream providers (province, ministry) are answered through the bureau, which records who
// answered and when; their waiting time is measured like anyone else's.
//
// This file is the façade the rest of the application uses; the work is done by its rooms: submitting,
// resubmitting and withdrawing (requests.submit.ts), the decisions (requests.decide.ts), reading
// (requests.read.ts), escalation (requests.deadlines.ts), the dashboard (requests.dashboard.ts) and the
// settings (requests.settings.ts); what they share is in requests.core.ts and requests.model.ts.
import type { Actor } from '../../../platform/auth/actor';
import type { DbOrTx } from '../../../platform/db/client';
import type { Notifier } from '../../../platform/notify';
import type { MemberInfo, RequestDirectory } from './directory';
import { RequestCore, type RequestDeps } from './requests.core';
import { RequestDashboard } from './requests.dashboard';
import { RequestDeadlines } from './requests.deadlines';
import { RequestDecisions } from './requests.decide';
import type { AnswerInput, ListQuery, Opts, RequestRow, RequestSettings, SubmitInput } from './requests.model';
import { RequestReading } from './requests.read';
import { RequestSettingsRoom } from './requests.settings';
import { RequestSubmissions } from './requests.submit';

export {
  DEFAULT_SETTINGS,
  ESCALATION_JOB,
  OPEN_STATES,
  REASON_MIN,
  REQUEST_STATES,
  STEP_LABELS,
  endOfShanghaiDay,
  type AnswerInput,
  type ListQuery,
  type RequestSettings,
  type RequestState,
  type StepKind,
  type SubmitInput,
} from './requests.model';

export class ShareRequests {
  private readonly core: RequestCore;
  private readonly settingsRoom: RequestSettingsRoom;
  private readonly submissions: RequestSubmissions;
  private readonly decisions: RequestDecisions;
  private readonly reading: RequestReading;
  private readonly deadlines: RequestDeadlines;
  private readonly board: RequestDashboard;

  constructor(readonly deps: RequestDeps) {
    this.core = new RequestCore(deps);
    this.settingsRoom = new RequestSettingsRoom(this.core);
    this.submissions = new RequestSubmissions(this.core);
    this.decisions = new RequestDecisions(this.core);
    this.reading = new RequestReading(this.core);
    this.deadlines = new RequestDeadlines(this.core);
    this.board = new RequestDashboard(this.core);
  }

  get notifier(): Notifier {
    return this.core.notifier;
  }

  /** The catalogue seen through the port the workflow needs (see ./directory.ts). */
  get directory(): RequestDirectory {
    return this.core.directory;
  }

  useDirectory(d: RequestDirectory): void {
    this.core.useDirectory(d);
  }

  // ---- settings -------------------------------------------------------------------------------------------

  settings(db?: DbOrTx): Promise<RequestSettings> {
    return this.core.settings(db);
  }

  putSettings(actor: Actor, patch: Partial<RequestSettings>): Promise<RequestSettings> {
    return this.settingsRoom.putSettings(actor, patch);
  }

  /** The bureau's member: the configured one, else the member of the organisation coded DSJ. */
  bureauMember(settings?: RequestSettings): Promise<MemberInfo> {
    return this.core.bureauMember(settings);
  }

  // ---- the consumer ---------------------------------------------------------------------------------------

  submit(actor: Actor, input: SubmitInput, opts: Opts = {}): Promise<RequestRow> {
    return this.submissions.submit(actor, input, opts);
  }

  /** The consumer resubmits a returned request, optionally with changes. */
  resubmit(actor: Actor, id: string, patch: Partial<Pick<SubmitInput, 'fields' | 'purpose' | 'legalBasis' | 'rowFilter' | 'scenario'>>, opts: Opts = {}): Promise<RequestRow> {
    return this.submissions.resubmit(actor, id, patch, opts);
  }

  withdraw(actor: Actor, id: string, opts: Opts = {}): Promise<RequestRow> {
    return this.submissions.withdraw(actor, id, opts);
  }

  // ---- the decisions --------------------------------------------------------------------------------------

  compliance(actor: Actor, id: string, input: { decision: 'pass' | 'return'; reason?: string; providerMemberId?: string }, opts: Opts = {}): Promise<RequestRow> {
    return this.decisions.compliance(actor, id, input, opts);
  }

  answer(actor: Actor, id: string, input: AnswerInput, opts: Opts = {}): Promise<RequestRow> {
    return this.decisions.answer(actor, id, input, opts);
  }

  coreApproval(actor: Actor, id: string, input: { decision: 'approve' | 'refuse'; reason?: string }, opts: Opts = {}): Promise<RequestRow> {
    return this.decisions.coreApproval(actor, id, input, opts);
  }

  // ---- reading --------------------------------------------------------------------------------------------

  list(actor: Actor, q: ListQuery, opts: Opts = {}) {
    return this.reading.list(actor, q, opts);
  }

  get(actor: Actor, id: string, opts: Opts = {}) {
    return this.reading.get(actor, id, opts);
  }

  // ---- escalation and the dashboard -----------------------------------------------------------------------

  /** Raise the escalation level of every overdue open step (idempotent; see RequestDeadlines.escalate). */
  escalate(opts: Opts = {}): Promise<{ checked: number; escalated: number }> {
    return this.deadlines.escalate(opts);
  }

  dashboard(actor: Actor, q: { from?: string; to?: string } = {}, opts: Opts = {}) {
    return this.board.dashboard(actor, q, opts);
  }
}
