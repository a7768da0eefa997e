// The one place that reads process.env: everything else receives a typed Config.
import { hkdfSync } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  APP_MASTER_KEY: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  DQ_CITY_FILE: z.string().optional(),
  DQ_JOBS: bool.optional(),
  DQ_SESSION_HOURS: z.coerce.number().positive().default(12),
  DQ_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  DQ_LOCKOUT_MINUTES: z.coerce.number().positive().default(15),
  DQ_LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().positive().default(20),
  DQ_LOGIN_ADDRESS_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  DQ_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
  DQ_BODY_LIMIT: z.coerce.number().int().positive().default(1024 * 1024),
  DQ_REQUIRE_ADMIN_TOTP: bool.optional(),
  DQ_SELF_REGISTRATION: bool.optional(),
  CERT_STATUS_LIST_TTL: z.coerce.number().int().min(10).default(300),
  DQ_CHECK_RESPONSES: bool.optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** 32-byte key used to encrypt secrets at rest (derived from APP_MASTER_KEY). */
  masterKey: Buffer;
  masterKeyIsDemo: boolean;
  publicUrl: string;
  logLevel: string;
  cityFile?: string;
  runJobs: boolean;
  sessionHours: number;
  /** Consecutive failures an account may have before each further attempt must wait (progressively longer). */
  loginMaxFailures: number;
  /** The longest wait between attempts on an account with failures past loginMaxFailures. */
  lockoutMinutes: number;
  /** Failed sign-ins from one address, across accounts, within the window, before the address gets 429. */
  loginAddressMaxFailures: number;
  loginAddressWindowMinutes: number;
  /** Bearer token for GET /metrics; without one, only loopback clients may read it. */
  metricsToken?: string;
  bodyLimit: number;
  /**
   * Check every JSON answer against its route's response schema: nothing the handler returned may be
   * dropped or changed by the schema, and the answer must conform (on in tests and e2e; off by default).
   */
  checkResponses: boolean;
  requireAdminTotp: boolean;
  /** Citizens may open their own accounts (always outside production; opt-in in production). */
  allowSelfRegistration: boolean;
  /** `ttl` (seconds) of the Token Status Lists that publish certificate status; verifiers cache that long. */
  certStatusListTtlSeconds: number;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

// Development-only key: data encrypted with it is demo data and says so in the logs.
const DEMO_MASTER_KEY = 'digital-qingdao-development-master-key-not-secret';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.APP_MASTER_KEY) {
    throw new ConfigError(['APP_MASTER_KEY: required when NODE_ENV=production']);
  }
  if (e.APP_MASTER_KEY !== undefined && e.APP_MASTER_KEY.length < 32) {
    throw new ConfigError(['APP_MASTER_KEY: must be at least 32 characters (or 64 hex digits)']);
  }
  const masterKey = deriveMasterKey(e.APP_MASTER_KEY ?? DEMO_MASTER_KEY);
  const port = e.PORT;
  const cfg: Config = {
    env: e.NODE_ENV,
    production,
    port,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    masterKey,
    masterKeyIsDemo: !e.APP_MASTER_KEY,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    cityFile: e.DQ_CITY_FILE,
    runJobs: e.DQ_JOBS ?? true,
    sessionHours: e.DQ_SESSION_HOURS,
    loginMaxFailures: e.DQ_LOGIN_MAX_FAILURES,
    lockoutMinutes: e.DQ_LOCKOUT_MINUTES,
    loginAddressMaxFailures: e.DQ_LOGIN_ADDRESS_MAX_FAILURES,
    loginAddressWindowMinutes: e.DQ_LOGIN_ADDRESS_WINDOW_MINUTES,
    metricsToken: e.DQ_METRICS_TOKEN,
    bodyLimit: e.DQ_BODY_LIMIT,
    requireAdminTotp: e.DQ_REQUIRE_ADMIN_TOTP ?? production,
    allowSelfRegistration: e.DQ_SELF_REGISTRATION ?? !production,
    certStatusListTtlSeconds: e.CERT_STATUS_LIST_TTL,
    checkResponses: e.DQ_CHECK_RESPONSES ?? e.NODE_ENV === 'test',
  };
  return { ...cfg, ...overrides };
}

function deriveMasterKey(raw: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  // A passphrase: stretch it deterministically so the same passphrase always decrypts the same data.
  return Buffer.from(hkdfSync('sha256', Buffer.from(raw, 'utf8'), Buffer.from('digital-qingdao'), Buffer.from('master-key'), 32));
}
