// The part of oidc-provider 9.x this module uses. The package ships no type declarations and the
// community @types package trails the releases, so the surface we rely on is written down here.
declare module 'oidc-provider' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = Record<string, unknown> & {
    jti?: string;
    grantId?: string;
    userCode?: string;
    uid?: string;
    consumed?: number;
    clientId?: string;
    accountId?: string;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    redirect_uris: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    application_type?: 'web' | 'native';
    scope?: string;
    [key: string]: unknown;
  }

  export interface Client {
    clientId: string;
    clientName?: string;
    redirectUris: string[];
    clientAuthMethod: string;
    scope?: string;
    [key: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: Record<string, unknown>, rejected: string[]): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface OIDCSession {
    accountId?: string;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface KoaContextWithOIDC {
    oidc: {
      provider: Provider;
      client?: Client;
      session?: OIDCSession;
      params?: Record<string, unknown>;
      route?: string;
      result?: InteractionResults;
      [key: string]: unknown;
    };
    type: string;
    body: unknown;
    status: number;
    host: string;
    query: Record<string, string | string[] | undefined>;
    ip: string;
    get(field: string): string;
  }

  export interface PromptDetail {
    name: 'login' | 'consent' | string;
    reasons: string[];
    details: {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
      [key: string]: unknown;
    };
  }

  export interface Interaction {
    uid: string;
    exp: number;
    prompt: PromptDetail;
    params: Record<string, string | undefined>;
    session?: { accountId: string; uid?: string; cookie?: string; acr?: string; amr?: string[] };
    grantId?: string;
    returnTo: string;
    lastSubmission?: InteractionResults;
    result?: InteractionResults;
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
    /** Ours: the session (token hash) whose second factor this interaction is waiting for. */
    pendingMfa?: string;
    [key: string]: unknown;
  }

  export class Grant {
    constructor(init: { accountId: string; clientId: string });
    static find(id: string, opts?: { ignoreExpiration?: boolean }): Promise<Grant | undefined>;
    jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    getOIDCScope(): string;
    save(ttl?: number): Promise<string>;
  }

  export type Configuration = Record<string, unknown>;

  export class Provider extends EventEmitter {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResults, opts?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResults, opts?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    urlFor(name: string, opts?: Record<string, unknown>): string;
    /** Koa middleware, run around the provider's own (oidc-provider re-orders it before its router). */
    use(fn: (ctx: never, next: () => Promise<void>) => Promise<void>): this;
    readonly Client: { find(id: string): Promise<Client | undefined> };
    readonly Grant: typeof Grant;
  }

  export class Check {
    constructor(reason: string, description: string, error: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
  }
  export interface PromptPolicy {
    name: string;
    checks: Check[];
  }
  export type Policy = PromptPolicy[] & { get(name: string): PromptPolicy | undefined };
  export const interactionPolicy: { base(): Policy; Check: typeof Check };

  export const errors: Record<string, new (...args: unknown[]) => Error>;
  export default Provider;
}
