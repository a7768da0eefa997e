// Automatic-approval rules for the seeded 秒批 items (matched by item name; idempotent: an existing rule,
// perhaps edited by staff, is left alone).
import { eq } from 'drizzle-orm';
import { systemActor } from '../../../platform/auth/actor';
import { inTransaction } from '../../../platform/db/client';
import { svcItems } from '../svc.schema';
import { SEED_RULES } from './auto';
import { svcAutoRules } from './applications.schema';
import type { ApplicationService } from './applications.service';

export async function seedAutoRules(applications: ApplicationService): Promise<{ created: number }> {
  const db = applications.db;
  let created = 0;
  for (const [name, rule] of Object.entries(SEED_RULES)) {
    const items = await db.select({ id: svcItems.id, ownerOrgId: svcItems.ownerOrgId }).from(svcItems).where(eq(svcItems.name, name));
    for (const item of items) {
      const [has] = await db.select({ id: svcAutoRules.itemId }).from(svcAutoRules).where(eq(svcAutoRules.itemId, item.id));
      if (has) continue;
      await inTransaction(db, (tx) => applications.writeRule(tx, systemActor('seed'), item.id, item.ownerOrgId, rule, true));
      created++;
    }
  }
  return { created };
}
