// vitest globalSetup for the PostgreSQL project: build the template database once per run.
import { buildPostgresTemplate, guardAgainstSilentHang } from './template';

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('the postgres project needs TEST_DATABASE_URL');
  await guardAgainstSilentHang('building the PostgreSQL test template', buildPostgresTemplate(url));
}
