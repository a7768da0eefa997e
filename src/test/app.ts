// A fresh, seeded app per test file on the database kind of the current vitest project, and a small
// client that signs in as a demo account and carries its cookies and CSRF token.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp, type App } from '../app';
import { type Config, loadConfig } from '../config';
import { openDatabase, type Database } from '../platform/db/client';
import { adminQuery, PG_TEMPLATE_DB, TEMPLATE_FILE, testConfigEnv, withDatabase } from './template';

export const DEMO_PASSWORD = 'Qingdao@2026';
/**
 * For accounts a test creates: they meet the whole password policy, which the demo password (it holds the
 * city's name) does not — only the demo seed may use that one.
 */
export const TEST_PASSWORD = 'Harbour#Tide-77';
export const testDbKind = (): 'pglite' | 'postgres' => (process.env.DQ_TEST_DB === 'postgres' ? 'postgres' : 'pglite');

export interface TestApp {
  app: App;
  config: Config;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  login(username: string, password?: string): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (testDbKind() === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const name = `dq_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(url, `create database ${name} template ${PG_TEMPLATE_DB}`);
    const database = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 4 });
    return {
      database,
      drop: async () => {
        await database.close();
        await adminQuery(url, `drop database if exists ${name} with (force)`);
      },
    };
  }
  const blob = new Blob([fs.readFileSync(TEMPLATE_FILE)]);
  const database = await openDatabase({ loadDataDir: blob });
  return { database, drop: () => database.close() };
}

export async function testApp(env: Record<string, string> = {}, overrides: Partial<Config> = {}): Promise<TestApp> {
  const config = loadConfig(testConfigEnv(env), overrides);
  const { database, drop } = await openTestDatabase();
  const app = await createApp(config, { database });
  const inject = (opts: InjectOptions) => app.fastify.inject(opts);
  const t: TestApp = {
    app,
    config,
    inject,
    anonymous: () => new Client(inject, null, null),
    async login(username, password = DEMO_PASSWORD) {
      const r = await inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
      const session = r.cookies.find((c) => c.name === 'dq_session')!.value;
      return new Client(inject, session, r.json().csrfToken);
    },
    async close() {
      await app.fastify.close();
      await app.services.queue.stop();
      await drop();
    },
  };
  return t;
}

type Body = Record<string, unknown> | unknown[] | string | undefined;

export class Client {
  constructor(
    private readonly inject: (o: InjectOptions) => Promise<LightMyRequestResponse>,
    public readonly session: string | null,
    public readonly csrf: string | null,
  ) {}

  request(method: InjectOptions['method'], url: string, body?: Body, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...headers };
    if (this.csrf && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    if (typeof body === 'string' && !('content-type' in h)) h['content-type'] = 'application/json';
    return this.inject({
      method,
      url,
      headers: h,
      cookies: this.session ? { dq_session: this.session } : {},
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  }
  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: Body, headers?: Record<string, string>) => this.request('POST', url, body, headers);
  patch = (url: string, body?: Body) => this.request('PATCH', url, body);
  put = (url: string, body?: Body) => this.request('PUT', url, body);
  delete = (url: string) => this.request('DELETE', url);
}
