// The deadline settings: working-day time limits of the steps, escalation offsets and targets, grant
// defaults. One JSON value in the platform's settings store; only the bureau changes it.
import { recordAudit } from '../../../platform/audit/audit.service';
import { type Actor, requirePermission, visibility } from '../../../platform/auth/actor';
import { type DbOrTx, inTransaction } from '../../../platform/db/client';
import { readSetting, writeSetting } from '../../../platform/db/settings';
import { errors } from '../../../platform/http/problem';
import { SHARE } from '../share.permissions';
import type { RequestCore } from './requests.core';
import { DEFAULT_SETTINGS, type RequestSettings, SETTINGS_KEY } from './requests.model';

/** The stored settings over the defaults (a key never stored has its default). */
export async function loadSettings(db: DbOrTx): Promise<RequestSettings> {
  return { ...DEFAULT_SETTINGS, ...((await readSetting<Partial<RequestSettings>>(db, SETTINGS_KEY)) ?? {}) };
}

export class RequestSettingsRoom {
  constructor(private readonly core: RequestCore) {}

  private get db() {
    return this.core.deps.db;
  }

  private get directory() {
    return this.core.directory;
  }

  async putSettings(actor: Actor, patch: Partial<RequestSettings>): Promise<RequestSettings> {
    requirePermission(actor, SHARE.requestReview);
    if (!visibility(actor, SHARE.requestReview).all) throw errors.forbidden('only the bureau sets the deadlines');
    for (const k of ['bureauMemberId', 'upperMemberId'] as const) {
      const id = patch[k];
      if (id && !(await this.directory.member(id))) throw errors.unprocessable(`${k} is not a known member`, [{ path: `/body/${k}`, message: 'unknown member' }]);
    }
    const before = await this.core.settings();
    const after = { ...before, ...patch };
    await inTransaction(this.db, async (tx) => {
      await writeSetting(tx, SETTINGS_KEY, after);
      await recordAudit(tx, actor, { action: 'share.settings.update', entityType: 'share_settings', before, after });
    });
    return after;
  }
}
