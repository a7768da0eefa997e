// HTTP for the holiday calendar: anyone may read it (the portal shows deadlines); editing needs calendar.manage.
import type { FastifyInstance } from 'fastify';
import { type CalendarService, CALENDAR_MANAGE } from './calendar.service';
import { isValidDate } from './working-days';
import { errors } from '../http/problem';
import { DateString, Enum, NoContent, Text, Type, typed } from '../http/schema';

const tags = ['calendar'];
const DAY_KINDS = ['holiday', 'workday'] as const;
const EntrySchema = Type.Object({ date: DateString, kind: Enum(DAY_KINDS), name: Type.String() });
/** YYYY-MM-DD by pattern only: the service refuses impossible dates (2027-02-30) with its own message. */
const DateParam = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export async function calendarRoutes(app: FastifyInstance, deps: { calendar: CalendarService }) {
  const { calendar } = deps;
  const api = typed(app);

  api.get(
    '/api/public/calendar',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Holidays and make-up working days of a year (other dates: Monday–Friday work)',
        querystring: Type.Object({ year: Type.Integer({ minimum: 1990, maximum: 2100 }) }),
        response: { 200: Type.Object({ year: Type.Integer(), items: Type.Array(EntrySchema) }) },
      },
    },
    async (req) => ({ year: req.query.year, items: await calendar.list(req.query.year) }),
  );

  api.get(
    '/api/public/calendar/deadline',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'The date a time limit of N working days ends, counted from the day after `from`',
        querystring: Type.Object({ from: DateParam, days: Type.Integer({ minimum: 0, maximum: 3650 }) }),
        response: { 200: Type.Object({ from: DateString, days: Type.Integer(), due: DateString, fromIsWorkingDay: Type.Boolean() }) },
      },
    },
    async (req) => {
      if (!isValidDate(req.query.from)) throw errors.field('/querystring/from', 'not a calendar date');
      const cal = await calendar.calendar();
      return { from: req.query.from, days: req.query.days, due: cal.addWorkingDays(req.query.from, req.query.days), fromIsWorkingDay: cal.isWorkingDay(req.query.from) };
    },
  );

  api.put(
    '/api/calendar/days',
    {
      config: { auth: CALENDAR_MANAGE },
      schema: {
        tags,
        summary: 'Mark a date as a holiday or a make-up working day (creates or changes it)',
        body: Type.Object({ date: DateParam, kind: Enum(DAY_KINDS), name: Text(60) }),
        response: { 200: EntrySchema, 201: EntrySchema },
      },
    },
    async (req, reply) => {
      const r = await calendar.set(req.actor!, req.body);
      return reply.code(r.created ? 201 : 200).send(r.entry);
    },
  );

  api.delete(
    '/api/calendar/days/:date',
    {
      config: { auth: CALENDAR_MANAGE },
      schema: {
        tags,
        summary: 'Remove a date: it follows the weekday/weekend rule again',
        params: Type.Object({ date: DateParam }),
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await calendar.remove(req.actor!, req.params.date);
      return reply.code(204).send();
    },
  );
}
