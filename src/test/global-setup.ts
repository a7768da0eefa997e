// vitest globalSetup for the embedded-database project: build the PGlite template once per run.
import { buildPgliteTemplate } from './template';

export default async function setup() {
  await buildPgliteTemplate();
}
