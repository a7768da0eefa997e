// Applications for service items: the workflow, automatic approval, proxies, notifications, satisfaction.
export { ApplicationService, APP, toView, type ApplicationView } from './applications.service';
export { applicationRoutes } from './applications.routes';
export { BundleApplicationService, bundleState, type BundleApplicationView } from './bundles.service';
export { bundleApplicationRoutes } from './bundles.routes';
export { seedAutoRules } from './applications.seed';
export { evaluate, ruleProblems, OPERATORS } from './logic';
export { runRule, SEED_RULES, ProfileFacts, HistoryFacts, RenterFacts, type AutoRule, type AutoOutcome } from './auto';
export { NoCertificateWallet, InAppNotifier, FactRegistry, type CertificateWallet, type Notifier, type FactSource, type CertificateRef, type ResolvedCertificate, type WalletAnswer } from './ports';
export { TRANSITIONS, STATES, type State, type Action } from './states';
export { NoActionAuthentication, NO_ACTION_JOB } from './no-action';
