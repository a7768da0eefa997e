// What a feature module is built from: the platform services it uses. Modules take this (or a
// superset) in their create function, so app.ts wires every module the same way.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { AuthService } from '../platform/auth/auth.service';
import type { CalendarService } from '../platform/calendar';
import type { Db } from '../platform/db/client';
import type { JobQueue } from '../platform/jobs/queue';
import type { OrgService } from './org';

export interface ModuleDeps {
  config: Config;
  db: Db;
  log: Logger;
  orgs: OrgService;
  auth: AuthService;
  calendar: CalendarService;
  queue: JobQueue;
}
