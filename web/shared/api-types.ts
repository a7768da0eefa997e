// Web-side names for the API's shapes, all taken from the generated OpenAPI types (./api.gen.ts):
// nothing here is written by hand, so a change to a route's schema shows up as a type error where the
// UI uses the field. Pick a shape by its path and method:
//   type Org = ResponseOf<'/api/orgs/{id}', 'get'>;
//   type OrgRow = ItemOf<'/api/orgs'>;
//   type NewOrg = BodyOf<'/api/orgs', 'post'>;
import type { components, paths } from './api.gen';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Responses<P extends keyof paths, M extends Method> = Op<P, M> extends { responses: infer R } ? R : never;

/** The JSON a successful call answers with (200, else 201, else 202). */
export type ResponseOf<P extends keyof paths, M extends Method = 'get'> =
  Responses<P, M> extends { 200: infer R } ? JsonOf<R> : Responses<P, M> extends { 201: infer R } ? JsonOf<R> : Responses<P, M> extends { 202: infer R } ? JsonOf<R> : never;

/** One item of a paged list. */
export type ItemOf<P extends keyof paths, M extends Method = 'get'> = ResponseOf<P, M> extends { items: (infer I)[] } ? I : never;

/** The JSON body a call sends. */
export type BodyOf<P extends keyof paths, M extends Method = 'post'> = Op<P, M> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

/** The query parameters a call takes. */
export type QueryOf<P extends keyof paths, M extends Method = 'get'> = Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The problem details every error answers with. */
export type ApiProblem = components['schemas']['Problem'];
