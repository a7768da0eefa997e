// Issuing keys, this platform's signed trust list and JWKS, and partner platforms (issue 4, part "trust").
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../../platform/jobs/queue';
import { registerTrustRoutes } from './trust.routes';
import { REFRESH_JOB, REPUBLISH_JOB, TrustService } from './trust.service';
export { TrustService, DEFAULT_TRUST_SETTINGS, ISSUING_USES, LIST_USE, REFRESH_JOB, REPUBLISH_JOB, fetchTrustList } from './trust.service';
export type { KeyView, PartnerView, PartnerState, PublishedList, TrustSettings, RegisterPartnerInput, RefreshOutcome } from './trust.service';

export async function trustRoutes(app: FastifyInstance, trust: TrustService) {
  await registerTrustRoutes(app, trust);
}

export function registerTrustJobs(queue: JobQueue, trust: TrustService) {
  queue.register(REFRESH_JOB, async () => trust.refreshDue());
  queue.register(REPUBLISH_JOB, async () => trust.republishIfDue());
}

/** Partners are looked at every five minutes; each is fetched when its refresh interval (a setting) has passed.
 *  The list is republished when half its validity is gone, so it never reaches nextUpdate unrenewed. */
export async function ensureTrustSchedules(queue: JobQueue) {
  await queue.schedule('trust.partners.refresh', REFRESH_JOB, 300);
  await queue.schedule('trust.list.republish', REPUBLISH_JOB, 3600);
}

/** A fresh install has a list key and a first signed list. */
export async function seedTrustReference(trust: TrustService) {
  await trust.published();
}

/** Demo: the keys the demo departments sign with (the bureau's city codes and status lists, the certificate
 *  keys of the departments issuing demo certificates), made ahead so the first list already names them and a
 *  partner that fetched it recognises their first codes. */
export async function seedTrustDemo(trust: TrustService) {
  await trust.signer('DSJ', 'city-code');
  await trust.signer('DSJ', 'status-list');
  for (const org of ['GAJ', 'MZJ', 'RSJ']) await trust.signer(org, 'certificate');
}
