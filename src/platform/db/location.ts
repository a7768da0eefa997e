// Where the embedded database lives: DATA_DIR/pgdata (DATA_DIR also holds the pid file and stored
// files). Kept free of driver imports so the CLI can use it without loading PGlite.
import path from 'node:path';
import type { Config } from '../../config';

export function pgDataDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'pgdata');
}
