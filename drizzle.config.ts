import { defineConfig } from 'drizzle-kit';

// Migrations are generated from every *.schema.ts and committed; the same SQL runs on PGlite and PostgreSQL.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/**/*.schema.ts', './src/modules/**/*.schema.ts'],
  out: './migrations',
});
