// Asking for data: requests and demands, the deadline workflow with escalation, and the dashboard.
import type { ShareDeps } from '../deps';
import type { ResourceCatalogue } from '../catalogue';
import type { Gateway } from '../gateway';

export class ShareRequests {
  constructor(readonly deps: ShareDeps & { catalogue: ResourceCatalogue; gateway: Gateway }) {}
}
