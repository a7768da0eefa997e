// The sharing gateway: grants, consumer keys, masked access, quotas, operational records, exports.
import type { ShareDeps } from '../deps';
import type { ResourceCatalogue } from '../catalogue';
import type { DataStore } from '../data';

export class Gateway {
  constructor(readonly deps: ShareDeps & { catalogue: ResourceCatalogue; data: DataStore }) {}
}
