// Official PRC public holidays and make-up working days (放假调休安排), as published by the General Office
// of the State Council (国务院办公厅). Seeded into calendar_days and editable in the console afterwards.
//
// 2026: 《国务院办公厅关于2026年部分节假日安排的通知》, 4 November 2025.
// 2027: not yet published at the time of writing (the notice usually appears in November of the year
//       before); nothing is seeded for 2027, so 2027 counts Monday–Friday as working days until an
//       administrator enters the schedule in the console (PUT /api/calendar/days).
import type { CalendarEntry } from './working-days';

type Span = { name: string; from: string; to: string; workdays: string[] };

function expand(spans: Span[]): CalendarEntry[] {
  const out: CalendarEntry[] = [];
  for (const s of spans) {
    const start = new Date(`${s.from}T00:00:00Z`).getTime();
    const end = new Date(`${s.to}T00:00:00Z`).getTime();
    for (let t = start; t <= end; t += 86_400_000) out.push({ date: new Date(t).toISOString().slice(0, 10), kind: 'holiday', name: s.name });
    for (const w of s.workdays) out.push({ date: w, kind: 'workday', name: `${s.name}调休上班` });
  }
  return out;
}

export const OFFICIAL_SCHEDULES: Record<number, { source: string; entries: CalendarEntry[] }> = {
  2026: {
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    entries: expand([
      { name: '元旦', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
      { name: '春节', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06', workdays: [] },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21', workdays: [] },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27', workdays: [] },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
    ]),
  },
};
