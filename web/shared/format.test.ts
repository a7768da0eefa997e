// Times are always shown in Shanghai time, whatever the machine's zone.
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatNumber, formatRelative, shanghaiDayStart } from './format';

describe('format', () => {
  it('shows instants in Asia/Shanghai', () => {
    expect(formatDateTime('2026-03-01T16:05:09Z')).toBe('2026-03-02 00:05:09');
    expect(formatDateTime('2026-03-01T16:05:09Z', 'en', false)).toBe('2026-03-02 00:05');
    expect(formatDateTime(null)).toBe('—');
    expect(shanghaiDayStart('2026-03-02')).toBe('2026-03-01T16:00:00.000Z');
  });

  it('writes numbers and relative times in the UI language', () => {
    expect(formatNumber(12345, 'en')).toBe('12,345');
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(formatRelative('2026-03-01T11:57:00Z', 'zh-CN', now)).toBe('3分钟前');
    expect(formatRelative('2026-03-01T11:57:00Z', 'en', now)).toBe('3 minutes ago');
  });
});
