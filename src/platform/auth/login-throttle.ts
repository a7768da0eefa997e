// Two brakes on password guessing that tell an attacker nothing about which accounts exist:
//  - per account: after `loginMaxFailures` consecutive failures each further attempt must wait, twice as
//    long each time (1 s, 2 s, 4 s … up to `lockoutMinutes`). An attempt inside the wait is answered
//    exactly like a wrong password and does not count, so nobody can lock an account out for long by
//    hammering it, and the owner gets in as soon as the wait is over.
//  - per address, across accounts: more than `loginAddressMaxFailures` failures from one address within
//    the window get 429 with Retry-After (password spraying: many usernames, few passwords each).
// The address window is kept in this process's memory: each node brakes on its own share of the traffic.

/** Seconds an account must wait before its next attempt after `failures` consecutive failures (0: none). */
export function accountDelaySeconds(failures: number, maxFailures: number, capMinutes: number): number {
  if (failures < maxFailures) return 0;
  return Math.min(2 ** Math.min(failures - maxFailures, 30), capMinutes * 60);
}

/** Failed sign-ins per address in a sliding window. */
export class AddressThrottle {
  private readonly failures = new Map<string, number[]>();
  private sweeps = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfter(address: string | undefined): number {
    if (!address) return 0;
    const list = this.recent(address);
    if (list.length < this.max) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.max] + this.windowMs - this.now()) / 1000));
  }

  fail(address: string | undefined): void {
    if (!address) return;
    const list = this.recent(address);
    list.push(this.now());
    // Keep no more than the limit needs; a flood from one address stays a few numbers long.
    if (list.length > this.max) list.splice(0, list.length - this.max);
    this.failures.set(address, list);
    if (++this.sweeps % 1000 === 0) this.sweep();
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(address) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(address, list);
    else this.failures.delete(address);
    return list;
  }

  /** Forget addresses whose failures have all left the window (bounded memory under a wide attack). */
  private sweep() {
    for (const a of [...this.failures.keys()]) this.recent(a);
  }
}
