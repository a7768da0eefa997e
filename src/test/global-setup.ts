// vitest globalSetup for the embedded-database project: build the PGlite template once per run.
import { buildPgliteTemplate, guardAgainstSilentHang } from './template';

export default async function setup() {
  await guardAgainstSilentHang('building the PGlite test template', buildPgliteTemplate());
}
