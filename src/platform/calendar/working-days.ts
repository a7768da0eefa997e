// Working-day arithmetic on Asia/Shanghai calendar dates ("YYYY-MM-DD"), pure and synchronous.
// A date is a working day when it is listed as a make-up working day, or when it is Monday–Friday and
// not listed as a holiday. Dates are handled as day numbers (days since 1970-01-01), never as instants,
// so no time zone or daylight-saving rule can shift them.

export type DayKind = 'holiday' | 'workday';

export interface CalendarEntry {
  date: string;
  kind: DayKind;
  name: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** Longest span the arithmetic walks, in days: a guard against runaway input (about 30 years). */
export const MAX_SPAN_DAYS = 11_000;

/** Day number of a valid YYYY-MM-DD date; throws RangeError on anything else (2026-02-30 included). */
export function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) throw new RangeError(`not a date: ${date}`);
  return ms / MS_PER_DAY;
}

export function isValidDate(date: string): boolean {
  try {
    dayNumber(date);
    return true;
  } catch {
    return false;
  }
}

export function fromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const wd = (((dayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4)
  return wd === 0 ? 7 : wd;
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** An instant as Asia/Shanghai wall-clock time, `YYYY-MM-DD HH:mm:ss`, for documents people read. */
export function shanghaiDateTime(at: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const v = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${v('year')}-${v('month')}-${v('day')} ${v('hour')}:${v('minute')}:${v('second')}`;
}

export function addDays(date: string, n: number): string {
  return fromDayNumber(dayNumber(date) + n);
}

/** An immutable view of the calendar's exceptions with the arithmetic on top. */
export class WorkingCalendar {
  private readonly byDay = new Map<number, DayKind>();

  constructor(entries: Iterable<Pick<CalendarEntry, 'date' | 'kind'>> = []) {
    for (const e of entries) this.byDay.set(dayNumber(e.date), e.kind);
  }

  private working(n: number): boolean {
    const kind = this.byDay.get(n);
    if (kind === 'holiday') return false;
    if (kind === 'workday') return true;
    const wd = (((n + 4) % 7) + 7) % 7; // 0 Sunday, 6 Saturday
    return wd !== 0 && wd !== 6;
  }

  isWorkingDay(date: string): boolean {
    return this.working(dayNumber(date));
  }

  /**
   * The date n working days after `from` (`from` itself is not counted; counting starts the next day).
   * n = 0 returns `from`; a negative n counts backwards. A time limit of N working days for something
   * received on day D ends at the close of addWorkingDays(D, N).
   */
  addWorkingDays(from: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
    let d = dayNumber(from);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let walked = 0;
    while (left > 0) {
      d += step;
      if (++walked > MAX_SPAN_DAYS) throw new RangeError('span too long');
      if (this.working(d)) left--;
    }
    return fromDayNumber(d);
  }

  /**
   * Working days in the half-open interval (a, b]: after a, up to and including b. So
   * workingDaysBetween(a, addWorkingDays(a, n)) === n for n ≥ 0, and it is negative when b is before a.
   */
  workingDaysBetween(a: string, b: string): number {
    const x = dayNumber(a);
    const y = dayNumber(b);
    if (Math.abs(y - x) > MAX_SPAN_DAYS) throw new RangeError('span too long');
    if (y === x) return 0;
    const [lo, hi, sign] = y > x ? [x, y, 1] : [y, x, -1];
    let count = 0;
    for (let d = lo + 1; d <= hi; d++) if (this.working(d)) count++;
    return sign * count;
  }
}
