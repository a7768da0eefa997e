// What every part of data sharing is built from (the platform services it uses).
import type { ModuleDeps } from '../deps';

export type ShareDeps = ModuleDeps;
