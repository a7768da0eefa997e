// Plain helpers about repairs shared by the console and the portal (no UI library here).
import type { Repair } from './types';

export function materialUrl(repairId: string, m: { id: string; url?: string }): string {
  return m.url ?? `/api/credit/repairs/${repairId}/materials/${m.id}`;
}

/** The deadlines of a repair, whichever way the API names them. */
export function repairDeadlines(r: Pick<Repair, 'acceptDue' | 'decideDue' | 'deadlines'>): { key: string; at: string }[] {
  const out: { key: string; at: string }[] = [];
  const seen = new Set<string>();
  const add = (key: string, at: string | null | undefined) => {
    if (at && !seen.has(key)) {
      seen.add(key);
      out.push({ key, at });
    }
  };
  add('accept', r.acceptDue);
  add('decide', r.decideDue);
  for (const [k, v] of Object.entries(r.deadlines ?? {})) add(k.replace(/Due$|By$/, ''), v);
  return out;
}

/** Whether a deadline (a date, meaning the end of that day in Shanghai, or an instant) has passed. */
export function isPast(at: string): boolean {
  return new Date(at.length === 10 ? `${at}T23:59:59+08:00` : at).getTime() < Date.now();
}
