// The shapes of the OpenID Connect routes as TypeBox schemas. The provider's own endpoints are answered
// by oidc-provider on the raw response (the route hijacks the reply), so their schemas only document:
// JSON (discovery, JWKS, token, userinfo, introspection), HTML pages, redirects, and OAuth errors as
// { error, error_description } — never problem+json.
import { Binary, Enum, Json, NoContent, Nullable, ProblemRef, Redirect, Timestamp, Type, type TSchema } from '../../../platform/http/schema';
import { SUPPORTED_SCOPES } from './oidc.clients';

/** One status answered in more than one media type (documentation; each type with its own schema). */
export function Media(description: string, content: Record<string, TSchema>) {
  return Type.Unsafe<unknown>({ description, content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])) });
}

const HtmlText = Type.Unsafe<string>({ type: 'string', format: 'binary' });

/** An OAuth 2.0 / OpenID Connect error (RFC 6749 §5.2). */
export const OAuthError = Type.Object(
  { error: Type.String(), error_description: Type.Optional(Type.String()), error_uri: Type.Optional(Type.String()) },
  { additionalProperties: true, description: 'OAuth 2.0 error (RFC 6749 §5.2)' },
);

/** The discovery document (OpenID Connect Discovery 1.0): issuer, endpoints, supported values. */
export const discoveryResponses = () => ({
  200: Media('The provider metadata (OpenID Connect Discovery 1.0)', { 'application/json': Json }),
  204: NoContent,
  400: Media('An OAuth error', { 'application/json': OAuthError }),
});

/** Everything under /oidc/*: authorization, token, userinfo, JWKS, revocation, introspection, end session. */
export const providerResponses = () => ({
  200: Media('JSON from the token, userinfo, JWKS, introspection and revocation endpoints; an HTML page from end session', {
    'application/json': Json,
    'text/html': HtmlText,
  }),
  204: NoContent,
  302: Redirect,
  303: Redirect,
  400: Media('An OAuth error: JSON from the back-channel endpoints, an HTML error page in the browser', { 'application/json': OAuthError, 'text/html': HtmlText }),
  401: Media('Client authentication or the access token failed (WWW-Authenticate says why)', { 'application/json': OAuthError }),
});

/** The interaction pages (sign-in, second factor, consent): HTML, or a redirect back to the provider. */
export const pageResponses = () => ({
  200: Binary('text/html', 'The sign-in, second-factor or consent page'),
  303: Redirect,
  '4XX': Media('An HTML error page, or the form again with the error; problem details for a malformed request', {
    'text/html': HtmlText,
    'application/problem+json': ProblemRef,
  }),
});

/** The steps that only hand the browser back to the provider (or to the interaction's page). */
export const redirectResponses = () => ({
  303: Redirect,
  '4XX': Media('An HTML error page (the sign-in request expired); problem details for a malformed request', {
    'text/html': HtmlText,
    'application/problem+json': ProblemRef,
  }),
});

const CLIENT_TYPES = ['confidential', 'public'] as const;

export const UidParams = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' }) });
export const LangOnly = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 10 })) });

export const ClientSchema = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  clientType: Enum(CLIENT_TYPES),
  scopes: Type.Array(Type.String()),
  createdAt: Timestamp,
  disabledAt: Nullable(Timestamp),
});

export const NewClientSchema = Type.Object({ ...ClientSchema.properties, clientSecret: Nullable(Type.String({ description: "A confidential client's secret: shown in this response only" })) });

const uriList = (minItems: number) => Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems, maxItems: 20, uniqueItems: true });

export const NewClientBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  redirectUris: uriList(1),
  postLogoutRedirectUris: Type.Optional(uriList(0)),
  clientType: Enum(CLIENT_TYPES),
  scopes: Type.Optional(Type.Array(Enum(SUPPORTED_SCOPES), { maxItems: SUPPORTED_SCOPES.length, uniqueItems: true })),
});

export const ClientIdParams = Type.Object({ clientId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' }) });
