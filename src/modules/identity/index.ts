// Identity module: sign-in, the account's own settings, account and role administration, API keys,
// and the OpenID Connect provider for other platforms.
export { IdentityService } from './identity.service';
export { identityRoutes } from './identity.routes';
export { oidcRoutes, registerOidcJobs, ensureOidcSchedules } from './oidc';
export { seedDemoAccounts, seedRoles, DEMO_PASSWORD, type DemoAccount } from './identity.seed';
