import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('has working defaults for a demo', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.production).toBe(false);
    expect(c.masterKeyIsDemo).toBe(true);
    expect(c.masterKey).toHaveLength(32);
    expect(c.publicUrl).toBe('http://localhost:8080');
  });
  it('refuses production without a master key, and short keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ APP_MASTER_KEY: 'short' })).toThrow(/APP_MASTER_KEY/);
    const c = loadConfig({ NODE_ENV: 'production', APP_MASTER_KEY: 'a'.repeat(64) });
    expect(c.requireAdminTotp).toBe(true);
    expect(c.masterKey.equals(Buffer.alloc(32, 0xaa))).toBe(true);
  });
  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
