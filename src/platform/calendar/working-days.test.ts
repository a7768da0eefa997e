import { describe, expect, it } from 'vitest';
import { OFFICIAL_SCHEDULES } from './holidays';
import { addDays, dayNumber, isoWeekday, isValidDate, shanghaiDate, shanghaiDateTime, WorkingCalendar } from './working-days';

const cal2026 = new WorkingCalendar(OFFICIAL_SCHEDULES[2026].entries);

describe('dates', () => {
  it('rejects impossible dates and knows weekdays', () => {
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(() => dayNumber('yesterday')).toThrow(RangeError);
    expect(isoWeekday('2026-01-01')).toBe(4); // Thursday
    expect(isoWeekday('2026-01-04')).toBe(7); // Sunday
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('takes the calendar date in Asia/Shanghai, not UTC', () => {
    expect(shanghaiDate(new Date('2026-01-01T16:30:00Z'))).toBe('2026-01-02');
    expect(shanghaiDate(new Date('2026-01-01T15:59:00Z'))).toBe('2026-01-01');
  });
});

describe('the 2026 official schedule', () => {
  it('has the published holidays and make-up working days', () => {
    const e = OFFICIAL_SCHEDULES[2026].entries;
    expect(e.filter((x) => x.kind === 'holiday')).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(e.filter((x) => x.kind === 'workday').map((x) => x.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    for (const w of e.filter((x) => x.kind === 'workday')) expect([6, 7]).toContain(isoWeekday(w.date));
  });

  it('treats holidays as days off and make-up days as working days', () => {
    expect(cal2026.isWorkingDay('2026-01-01')).toBe(false); // New Year, a Thursday
    expect(cal2026.isWorkingDay('2026-01-04')).toBe(true); // make-up Sunday
    expect(cal2026.isWorkingDay('2026-02-23')).toBe(false); // Spring Festival Monday
    expect(cal2026.isWorkingDay('2026-02-14')).toBe(true); // make-up Saturday
    expect(cal2026.isWorkingDay('2026-03-07')).toBe(false); // ordinary Saturday
    expect(cal2026.isWorkingDay('2026-03-09')).toBe(true); // ordinary Monday
  });
});

describe('working-day arithmetic', () => {
  it('counts from the day after, skipping weekends and holidays', () => {
    expect(cal2026.addWorkingDays('2026-03-09', 0)).toBe('2026-03-09');
    expect(cal2026.addWorkingDays('2026-03-09', 1)).toBe('2026-03-10');
    expect(cal2026.addWorkingDays('2026-03-13', 1)).toBe('2026-03-16'); // Friday → Monday
    // Received on the Friday before the Spring Festival: 13th is Fri, 14th make-up Saturday counts.
    expect(cal2026.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal2026.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    // National Day week: 30 Sep (Wed) + 1 → 8 Oct (Thu), 10 Oct (Sat) is a make-up day.
    expect(cal2026.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal2026.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(cal2026.addWorkingDays('2026-09-30', 4)).toBe('2026-10-12');
  });

  it('crosses year boundaries (2027 without a schedule follows the weekday rule)', () => {
    expect(cal2026.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01'); // a Friday, no 2027 entries
    expect(cal2026.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04'); // 1–3 Jan off, the make-up Sunday is the first working day
    expect(cal2026.isWorkingDay('2026-01-04')).toBe(true);
    expect(cal2026.workingDaysBetween('2025-12-31', '2026-01-05')).toBe(2); // 4th and 5th
  });

  it('is consistent: between(a, add(a, n)) = n, and negative backwards', () => {
    for (const start of ['2026-01-01', '2026-02-13', '2026-04-30', '2026-09-18', '2026-12-25']) {
      for (const n of [0, 1, 2, 5, 15, 20, 60]) {
        const end = cal2026.addWorkingDays(start, n);
        expect(cal2026.workingDaysBetween(start, end)).toBe(n);
        expect(cal2026.isWorkingDay(end) || n === 0).toBe(true);
      }
    }
    expect(cal2026.addWorkingDays('2026-03-16', -1)).toBe('2026-03-13');
    expect(cal2026.workingDaysBetween('2026-03-16', '2026-03-13')).toBe(-1);
    expect(() => cal2026.addWorkingDays('2026-01-01', 1.5)).toThrow(RangeError);
  });

  it('has 248 working days in 2026 (365 − 104 weekend days − 19 holidays on weekdays + 6 make-up days)', () => {
    expect(cal2026.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(365 - 104 - 19 + 6);
  });
});

describe('shanghaiDateTime', () => {
  it('shows an instant as Beijing wall-clock time, across midnight UTC', () => {
    expect(shanghaiDateTime(new Date('2026-11-27T03:06:18.876Z'))).toBe('2026-11-27 11:06:18');
    expect(shanghaiDateTime(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30:00');
  });
});
