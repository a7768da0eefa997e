// The data resource catalogue and the exchange directory (X-Road-style members and subsystems).
import type { ShareDeps } from '../deps';

export class ResourceCatalogue {
  constructor(readonly deps: ShareDeps) {}
}
