// The working-day holiday calendar, shared by every module that counts time limits in working days.
export { CalendarService, CALENDAR_MANAGE, CACHE_TTL_MS } from './calendar.service';
export { calendarRoutes } from './calendar.routes';
export { calendarDays } from './calendar.schema';
export { OFFICIAL_SCHEDULES } from './holidays';
export { WorkingCalendar, addDays, dayNumber, isValidDate, isoWeekday, shanghaiDate, shanghaiDateTime, type CalendarEntry, type DayKind } from './working-days';
