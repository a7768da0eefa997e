// Shapes the exchange pages read from /api/share (requests, dashboard, grants, usage, calls), taken
// from the server's OpenAPI document (../../shared/api-types.ts); the helpers below turn an answer
// into one label.
import type { ItemOf, QueryOf, ResponseOf } from '../../shared/api-types';
import type { Resource, ResourceSummary } from './catalogue-types';

/** A request with its steps, the consumer system and what the signed-in user may do now. */
export type ShareRequest = ResponseOf<'/api/share/requests/{id}'>;
/** A request as the boxes list it (no steps, actions or consumer system). */
export type ShareRequestRow = ItemOf<'/api/share/requests'>;
export type RequestStep = ShareRequest['steps'][number];
export type RequestState = ShareRequestRow['state'];
export type ProviderLevel = NonNullable<ShareRequestRow['providerLevel']>;
export type Box = NonNullable<QueryOf<'/api/share/requests'>['box']>;

/** An X-Road member as the request answers name it. */
export type MemberRef = NonNullable<ShareRequestRow['provider']>;
export type SubsystemRef = NonNullable<ShareRequest['consumerSubsystem']>;

/** A catalogue resource as the request form needs it: a search row, or the resource with its items. */
export type ResourceOption = Pick<ResourceSummary, 'id' | 'code' | 'name' | 'grade' | 'state' | 'providerMemberId' | 'providerName'> & Partial<Pick<Resource, 'items'>>;

export type Dashboard = ResponseOf<'/api/share/dashboard'>;
export type LevelStat = Dashboard['answerTime']['byLevel'][number];
/** A member as the dashboard names it. */
export type MemberName = NonNullable<Dashboard['recent'][number]['provider']>;

export type Grant = ItemOf<'/api/share/grants'>;
export type Usage = ResponseOf<'/api/share/usage'>;
export type CallRecord = ItemOf<'/api/share/calls'>;

// UI-side: the states and levels the filters offer, in display order.
export const REQUEST_STATES: RequestState[] = ['compliance', 'provider', 'core_approval', 'approved', 'refused', 'returned', 'withdrawn'];
export const OPEN_STATES: RequestState[] = ['compliance', 'provider', 'core_approval'];
export const LEVELS: ProviderLevel[] = ['city', 'district', 'province', 'national'];

// --- one label from whichever form the answer used ---

export function resourceLabel(r: Pick<ShareRequestRow, 'kind' | 'resource' | 'demandTitle'>): string {
  if (r.kind === 'demand') return r.demandTitle ?? '—';
  return r.resource?.name ?? '—';
}

export function providerOf(r: Pick<ShareRequestRow, 'provider' | 'providerLevel'>): { name: string | null; level: ProviderLevel | null; external: boolean } {
  return {
    name: r.provider?.name ?? null,
    level: r.provider?.level ?? r.providerLevel ?? null,
    external: !!r.provider?.external || r.providerLevel === 'province' || r.providerLevel === 'national',
  };
}

export function consumerLabel(r: Pick<ShareRequestRow, 'consumer'> & Partial<Pick<ShareRequest, 'consumerSubsystem'>>): { name: string; system: string | null } {
  return { name: r.consumer?.name ?? '—', system: r.consumerSubsystem?.code ?? null };
}

/** The open step (the last unanswered one), if the request has its steps. */
export function openStep(r: ShareRequest): RequestStep | null {
  const steps = r.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i--) if (!steps[i].answeredAt) return steps[i];
  return null;
}

export function memberName(m: MemberName | null | undefined): string {
  return m?.name ?? m?.code ?? '—';
}

export function shortHash(h: string | null | undefined): string {
  return h ? `${h.slice(0, 10)}…` : '—';
}

/** live | revoked | expired: the server's word when it gives one, else from the dates. */
export function grantState(g: Pick<Grant, 'state' | 'revokedAt' | 'expiresAt'>, now = Date.now()): string {
  if (g.state) return g.state;
  if (g.revokedAt) return 'revoked';
  return Date.parse(g.expiresAt) <= now ? 'expired' : 'live';
}
