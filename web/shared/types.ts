// Shapes of the platform API as the browser apps use them: all derived from the generated OpenAPI
// types (./api-types.ts), so a change to a route's schema shows up where the UI reads the field.
import type { BodyOf, ItemOf, QueryOf, ResponseOf } from './api-types';

export type Locale = NonNullable<BodyOf<'/api/auth/me', 'patch'>['locale']>;
/** The account kinds (the server sends `kind` as a plain string; this is the vocabulary it accepts). */
export type UserKind = BodyOf<'/api/users', 'post'>['kind'];
export type OrgKind = ItemOf<'/api/orgs'>['kind'];
export type RoleScope = ItemOf<'/api/roles'>['scope'];
/** The job states (the server sends `status` as a plain string; this is the vocabulary it filters by). */
export type JobStatus = NonNullable<QueryOf<'/api/jobs'>['status']>;

export type Me = ResponseOf<'/api/auth/me'>;
export type PublicUser = Me['user'];
export type OrgRef = NonNullable<Me['org']>;
export type UserRow = ItemOf<'/api/users'>;
export type LoginResult = ResponseOf<'/api/auth/login', 'post'>;
export type AuditEntry = ItemOf<'/api/audit'>;
export type CityInfo = ResponseOf<'/api/public/city'>;
export type Org = ItemOf<'/api/orgs'>;
export type Role = ItemOf<'/api/roles'>;
export type Permission = ItemOf<'/api/permissions'>;
export type ApiKey = ItemOf<'/api/api-keys'>;
export type OidcClient = ItemOf<'/api/oidc/clients'>;
export type Job = ItemOf<'/api/jobs'>;
export type JobSummary = ResponseOf<'/api/jobs/summary'>;
export type StatsOverview = ResponseOf<'/api/stats/overview'>;

/** UI-side: the envelope every paged list answers with, generic over its rows (the tables and pickers take any list). */
export interface Page<T> {
  items: T[];
  total: number;
  limit?: number;
  offset?: number;
}
