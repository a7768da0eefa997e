// OpenID Connect provider: other government platforms sign their users in with Digital Qingdao accounts.
export { oidcRoutes, registerOidcJobs, ensureOidcSchedules, OIDC_PURGE_JOB, type OidcRouteDeps } from './oidc.routes';
export { OidcClientService, SUPPORTED_SCOPES, type OidcClientView, type NewOidcClient } from './oidc.clients';
export { purgeExpiredPayloads } from './oidc.adapter';
