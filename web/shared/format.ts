// Formatting helpers: every time shown to a person is in Asia/Shanghai, whatever the browser's zone.
import type { Locale } from './types';

export const CITY_TZ = 'Asia/Shanghai';

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: Locale, key: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${locale}|${key}`;
  let f = cache.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: CITY_TZ, hourCycle: 'h23', ...opts });
    cache.set(k, f);
  }
  return f;
}

function parts(d: Date, locale: Locale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of fmt(locale, 'parts', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  }).formatToParts(d)) {
    out[p.type] = p.value;
  }
  return out;
}

function toDate(v: string | number | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** 2026-03-01 14:05:09 in Shanghai time. */
export function formatDateTime(v: string | number | Date | null | undefined, locale: Locale = 'zh-CN', withSeconds = true): string {
  const d = toDate(v);
  if (!d) return '—';
  const p = parts(d, locale);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''}`;
}

export function formatDate(v: string | number | Date | null | undefined, locale: Locale = 'zh-CN'): string {
  const d = toDate(v);
  if (!d) return '—';
  const p = parts(d, locale);
  return `${p.year}-${p.month}-${p.day}`;
}

export function formatTime(v: string | number | Date | null | undefined, locale: Locale = 'zh-CN', withSeconds = true): string {
  const d = toDate(v);
  if (!d) return '—';
  const p = parts(d, locale);
  return `${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''}`;
}

/** "14:00" label for an hourly bucket. */
export function formatHour(v: string | Date, locale: Locale = 'zh-CN'): string {
  const d = toDate(v);
  if (!d) return '';
  const p = parts(d, locale);
  return `${p.hour}:00`;
}

/** Long date for headers: 2026年3月1日 星期日 / Sunday, 1 March 2026. */
export function formatLongDate(v: Date, locale: Locale = 'zh-CN'): string {
  return fmt(locale, 'long', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }).format(v);
}

/** The calendar date (YYYY-MM-DD) it is now in Shanghai. */
export function shanghaiToday(): string {
  return formatDate(new Date());
}

/** Start of a Shanghai calendar day as an ISO instant, for API filters. */
export function shanghaiDayStart(ymd: string): string {
  return new Date(`${ymd}T00:00:00+08:00`).toISOString();
}

/** Start of the Shanghai day after the given one, as an ISO instant. */
export function shanghaiDayEnd(ymd: string): string {
  return new Date(new Date(`${ymd}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();
}

/** Relative time like "3 分钟前" / "3 minutes ago". */
export function formatRelative(v: string | number | Date | null | undefined, locale: Locale = 'zh-CN', now = Date.now()): string {
  const d = toDate(v);
  if (!d) return '—';
  const diff = Math.round((d.getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale === 'en' ? 'en' : 'zh-CN', { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs < 60) return rtf.format(diff, 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(diff / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(diff / 86_400), 'day');
  return formatDateTime(d, locale, false);
}

export function formatNumber(n: number | null | undefined, locale: Locale = 'zh-CN'): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN').format(n);
}

/** Duration in seconds as "every 5 min" style text pieces. */
export function formatInterval(seconds: number, locale: Locale = 'zh-CN'): string {
  const zh = locale !== 'en';
  if (seconds % 86_400 === 0) return zh ? `${seconds / 86_400} 天` : `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return zh ? `${seconds / 3600} 小时` : `${seconds / 3600} h`;
  if (seconds % 60 === 0) return zh ? `${seconds / 60} 分钟` : `${seconds / 60} min`;
  return zh ? `${seconds} 秒` : `${seconds} s`;
}
