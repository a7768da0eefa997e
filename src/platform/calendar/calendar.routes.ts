// HTTP for the holiday calendar: anyone may read it (the portal shows deadlines); editing needs calendar.manage.
import type { FastifyInstance } from 'fastify';
import { type CalendarService, CALENDAR_MANAGE } from './calendar.service';
import { isValidDate } from './working-days';
import { errors } from '../http/problem';

const entrySchema = {
  type: 'object',
  properties: { date: { type: 'string' }, kind: { type: 'string', enum: ['holiday', 'workday'] }, name: { type: 'string' } },
} as const;
const dateString = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export async function calendarRoutes(app: FastifyInstance, deps: { calendar: CalendarService }) {
  const { calendar } = deps;

  app.get<{ Querystring: { year: number } }>(
    '/api/public/calendar',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['calendar'],
        summary: 'Holidays and make-up working days of a year (other dates: Monday–Friday work)',
        querystring: { type: 'object', required: ['year'], properties: { year: { type: 'integer', minimum: 1990, maximum: 2100 } } },
        response: { 200: { type: 'object', properties: { year: { type: 'integer' }, items: { type: 'array', items: entrySchema } } } },
      },
    },
    async (req) => ({ year: req.query.year, items: await calendar.list(req.query.year) }),
  );

  app.get<{ Querystring: { from: string; days: number } }>(
    '/api/public/calendar/deadline',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['calendar'],
        summary: 'The date a time limit of N working days ends, counted from the day after `from`',
        querystring: { type: 'object', required: ['from', 'days'], properties: { from: dateString, days: { type: 'integer', minimum: 0, maximum: 3650 } } },
        response: { 200: { type: 'object', properties: { from: { type: 'string' }, days: { type: 'integer' }, due: { type: 'string' }, fromIsWorkingDay: { type: 'boolean' } } } },
      },
    },
    async (req) => {
      if (!isValidDate(req.query.from)) throw errors.field('/querystring/from', 'not a calendar date');
      const cal = await calendar.calendar();
      return { from: req.query.from, days: req.query.days, due: cal.addWorkingDays(req.query.from, req.query.days), fromIsWorkingDay: cal.isWorkingDay(req.query.from) };
    },
  );

  app.put<{ Body: { date: string; kind: 'holiday' | 'workday'; name: string } }>(
    '/api/calendar/days',
    {
      config: { auth: CALENDAR_MANAGE },
      schema: {
        tags: ['calendar'],
        summary: 'Mark a date as a holiday or a make-up working day (creates or changes it)',
        body: {
          type: 'object',
          required: ['date', 'kind', 'name'],
          properties: { date: dateString, kind: { type: 'string', enum: ['holiday', 'workday'] }, name: { type: 'string', minLength: 1, maxLength: 60 } },
        },
        response: { 200: entrySchema, 201: entrySchema },
      },
    },
    async (req, reply) => {
      const r = await calendar.set(req.actor!, req.body);
      return reply.code(r.created ? 201 : 200).send(r.entry);
    },
  );

  app.delete<{ Params: { date: string } }>(
    '/api/calendar/days/:date',
    {
      config: { auth: CALENDAR_MANAGE },
      schema: { tags: ['calendar'], summary: 'Remove a date: it follows the weekday/weekend rule again', params: { type: 'object', required: ['date'], properties: { date: dateString } } },
    },
    async (req, reply) => {
      await calendar.remove(req.actor!, req.params.date);
      return reply.code(204).send();
    },
  );
}
