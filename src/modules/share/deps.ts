// What every part of data sharing is built from (the platform services it uses).
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { AuthService } from '../../platform/auth/auth.service';
import type { CalendarService } from '../../platform/calendar';
import type { Db } from '../../platform/db/client';
import type { JobQueue } from '../../platform/jobs/queue';
import type { OrgService } from '../org';

export interface ShareDeps {
  config: Config;
  db: Db;
  log: Logger;
  orgs: OrgService;
  auth: AuthService;
  calendar: CalendarService;
  queue: JobQueue;
}
