// Issuing. Always through issueRows: serial numbers and status-list slots are taken as ranges with one
// short statement each (outside the writing transaction, so concurrent imports never queue behind each
// other; a rolled-back batch only leaves gaps), then the certificates are inserted in one statement with
// ON CONFLICT DO NOTHING on (type, number, holder) — which is what makes a re-run of the same file harmless.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Actor, requirePermission } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { encrypt } from '../../../platform/crypto/secrets';
import { type DbOrTx, inTransaction, rows as rawRows } from '../../../platform/db/client';
import { errors, type FieldError } from '../../../platform/http/problem';
import { buildLicenceId, maskCitizenId, todayInShanghai } from '../../../platform/ids';
import type { Org } from '../../org';
import { CERT } from '../cert.permissions';
import type { CertificateRecord } from '../contracts';
import { checkRow } from './certificates.check';
import type { CertCore } from './certificates.core';
import { type CleanRow, CORE_KEYS, HOLDER_CONTEXT, type IssueInput, STATUS_LIST_SIZE, type TypeRow } from './certificates.model';
import type { CertReading } from './certificates.reading';
import { certCertificates } from './certificates.schema';

export class CertIssuing {
  constructor(
    private readonly core: CertCore,
    private readonly reading: CertReading,
  ) {}

  /** The type and its issuing department when the actor may issue it (403 otherwise). */
  async issuingContext(actor: Actor, typeId: string): Promise<{ type: TypeRow; issuer: Org & { creditCode: string } }> {
    requirePermission(actor, CERT.issue);
    const type = await this.core.typeRow(typeId);
    if (!type) throw errors.field('/body/typeId', 'no such certificate type');
    const dept = await this.core.deps.orgs.byId(type.departmentOrgId);
    if (!this.core.canIssueType(actor, dept ?? undefined)) throw errors.forbidden(`only ${dept?.name ?? 'the defining department'} (or the bureau) issues ${type.nameZh}`);
    if (!dept?.creditCode) throw errors.conflict(`${dept?.name ?? 'the department'} has no unified social credit code; identifiers cannot be made`);
    return { type, issuer: dept as Org & { creditCode: string } };
  }

  /** Take `n` consecutive serials for (type, issuer): one upsert, no row kept locked afterwards. */
  private async takeSerials(typeId: string, issuerOrgId: string, n: number): Promise<number> {
    const [r] = await rawRows<{ next: string | number }>(
      this.core.db,
      sql`insert into cert_serials (type_id, issuer_org_id, next) values (${typeId}::uuid, ${issuerOrgId}::uuid, ${1 + n})
          on conflict (type_id, issuer_org_id) do update set next = cert_serials.next + ${n}
          returning next`,
    );
    return Number(r.next) - n;
  }

  /** Take `n` status-list slots (possibly spanning lists), opening a new list when the last one is full. */
  private async takeSlots(n: number): Promise<{ listId: number; index: number }[]> {
    const out: { listId: number; index: number }[] = [];
    while (out.length < n) {
      const need = n - out.length;
      const [r] = await rawRows<{ id: number; start: number; end: number }>(
        this.core.db,
        sql`with cur as (select id, next_index from cert_status_lists where next_index < size order by id limit 1 for update)
            update cert_status_lists l set next_index = least(l.size, cur.next_index + ${need})
            from cur where l.id = cur.id
            returning l.id as id, cur.next_index as start, l.next_index as "end"`,
      );
      if (r) {
        for (let i = Number(r.start); i < Number(r.end); i++) out.push({ listId: Number(r.id), index: i });
        continue;
      }
      await rawRows(this.core.db, sql`insert into cert_status_lists (id, size) select coalesce(max(id), 0) + 1, ${STATUS_LIST_SIZE} from cert_status_lists on conflict do nothing`);
    }
    return out;
  }

  /**
   * Insert clean rows of one type and issuer. Returns the inserted certificates (id and row) and the row
   * numbers that were already issued (same type, number and holder) — those are left untouched.
   */
  private async issueRows(
    tx: DbOrTx,
    type: TypeRow,
    issuer: Org & { creditCode: string },
    rows: CleanRow[],
    allocated: { serialStart: number; slots: { listId: number; index: number }[] },
    meta: { actor: Actor; importId: string | null; isDemo?: boolean },
  ): Promise<{ inserted: { id: string; row: number }[]; duplicates: number[] }> {
    const values = rows.map((r, i) => {
      const serial = allocated.serialStart + i;
      const slot = allocated.slots[i];
      const id = randomUUID();
      return {
        id,
        typeId: type.id,
        issuerOrgId: issuer.id,
        serial,
        version: 1,
        identifier: buildLicenceId({ typeCode: type.code, issuerCode: issuer.creditCode, serial: String(serial).padStart(8, '0'), version: 1 }),
        number: r.number,
        holderName: r.holderName,
        holderCodeEnc: encrypt(this.core.masterKey, r.holderCode, HOLDER_CONTEXT),
        holderCodeHash: this.core.holderHash(r.holderCode),
        holderCodeMasked: type.holderKind === 'person' ? maskCitizenId(r.holderCode) : r.holderCode,
        holderCodeType: type.holderKind === 'person' ? '111' : '001',
        issuedOn: r.issuedOn,
        validFrom: r.validFrom,
        validUntil: r.validUntil,
        jurisdiction: r.jurisdiction,
        fields: r.fields,
        status: 'valid',
        statusListId: slot.listId,
        statusIndex: slot.index,
        importId: meta.importId,
        isDemo: meta.isDemo ? 1 : 0,
        createdBy: meta.actor.userId,
      };
    });
    if (!values.length) return { inserted: [], duplicates: [] };
    // One array per column and unnest(): 20-odd parameters for the whole batch instead of 20-odd per row.
    const col = <K extends keyof (typeof values)[number]>(k: K) => sql.param(values.map((v) => v[k]));
    const ins = await rawRows<{ id: string }>(
      tx,
      sql`insert into cert_certificates (id, type_id, issuer_org_id, serial, version, identifier, number, holder_name, holder_code_enc, holder_code_hash,
            holder_code_masked, holder_code_type, issued_on, valid_from, valid_until, jurisdiction, fields, status, status_list_id, status_index, import_id, is_demo, created_by)
          select * from unnest(${col('id')}::uuid[], ${col('typeId')}::uuid[], ${col('issuerOrgId')}::uuid[], ${col('serial')}::bigint[], ${col('version')}::int[],
            ${col('identifier')}::text[], ${col('number')}::text[], ${col('holderName')}::text[], ${col('holderCodeEnc')}::text[], ${col('holderCodeHash')}::text[],
            ${col('holderCodeMasked')}::text[], ${col('holderCodeType')}::text[], ${col('issuedOn')}::text[], ${col('validFrom')}::text[], ${col('validUntil')}::text[],
            ${col('jurisdiction')}::text[], ${sql.param(values.map((v) => JSON.stringify(v.fields)))}::jsonb[], ${col('status')}::text[], ${col('statusListId')}::int[], ${col('statusIndex')}::int[],
            ${col('importId')}::uuid[], ${col('isDemo')}::int[], ${col('createdBy')}::uuid[])
          on conflict do nothing
          returning id`,
    );
    const got = new Set(ins.map((r) => r.id));
    const inserted: { id: string; row: number }[] = [];
    const duplicates: number[] = [];
    values.forEach((v, i) => (got.has(v.id) ? inserted.push({ id: v.id, row: rows[i].row }) : duplicates.push(rows[i].row)));
    return { inserted, duplicates };
  }

  /** Rows already issued (same type, number and holder), by a look-up on the natural key. */
  private async alreadyIssued(typeId: string, rows: CleanRow[]): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const numbers = [...new Set(rows.map((r) => r.number))];
    const found = await this.core.db
      .select({ number: certCertificates.number, hash: certCertificates.holderCodeHash })
      .from(certCertificates)
      .where(and(eq(certCertificates.typeId, typeId), inArray(certCertificates.number, numbers)));
    return new Set(found.map((f) => `${f.number}\u0000${f.hash}`));
  }

  /**
   * Issue a batch of clean rows: drop those already issued (and repeats inside the batch), take serials and
   * slots for the rest, insert. `write` runs inside the same transaction (import progress, audit).
   */
  async issueBatch(
    type: TypeRow,
    issuer: Org & { creditCode: string },
    rows: CleanRow[],
    meta: { actor: Actor; importId: string | null; isDemo?: boolean },
    write?: (tx: DbOrTx, r: { inserted: { id: string; row: number }[]; duplicates: number[] }) => Promise<void>,
  ) {
    const known = await this.alreadyIssued(type.id, rows);
    const fresh: CleanRow[] = [];
    const duplicates: number[] = [];
    for (const r of rows) {
      const key = `${r.number}\u0000${this.core.holderHash(r.holderCode)}`;
      if (known.has(key)) duplicates.push(r.row);
      else {
        known.add(key);
        fresh.push(r);
      }
    }
    const allocated = fresh.length ? { serialStart: await this.takeSerials(type.id, issuer.id, fresh.length), slots: await this.takeSlots(fresh.length) } : { serialStart: 0, slots: [] };
    return inTransaction(this.core.db, async (tx) => {
      const r = await this.issueRows(tx, type, issuer, fresh, allocated, meta);
      const result = { inserted: r.inserted, duplicates: [...duplicates, ...r.duplicates] };
      if (write) await write(tx, result);
      return result;
    });
  }

  /** Issue one certificate (form or API). 422 naming every bad field; 409 when the same one exists. */
  async issue(actor: Actor, input: IssueInput, opts: { isDemo?: boolean } = {}): Promise<CertificateRecord & { created: boolean }> {
    const { type, issuer } = await this.issuingContext(actor, input.typeId);
    const raw: Record<string, unknown> = {
      number: input.number,
      holderName: input.holderName,
      holderCode: input.holderCode,
      issuedOn: input.issuedOn,
      validFrom: input.validFrom,
      validUntil: input.validUntil ?? '',
      jurisdiction: input.jurisdiction,
      ...(input.fields ?? {}),
    };
    for (const k of Object.keys(input.fields ?? {})) if (CORE_KEYS.has(k)) throw errors.unprocessable('the certificate cannot be issued', [{ path: `/body/fields/${k}`, message: 'a core metadata element, not a type field' }]);
    const checked = checkRow(type, raw, 1, { today: todayInShanghai(), jurisdiction: issuer.divisionCode });
    if ('problems' in checked) {
      const errs: FieldError[] = checked.problems.map((p) => ({ path: CORE_KEYS.has(p.field) ? `/body/${p.field}` : `/body/fields/${p.field}`, message: p.reason }));
      throw errors.unprocessable('the certificate cannot be issued: ' + errs.map((e) => `${e.path} ${e.message}`).join('; '), errs);
    }
    const r = await this.issueBatch(type, issuer, [checked.ok], { actor, importId: null, isDemo: opts.isDemo }, async (tx, res) => {
      if (!res.inserted.length) return;
      await recordAudit(tx, actor, {
        action: 'cert.issue',
        entityType: 'cert_certificate',
        entityId: res.inserted[0].id,
        orgId: issuer.id,
        after: { type: type.nameZh, number: checked.ok.number, holderCodeMasked: type.holderKind === 'person' ? maskCitizenId(checked.ok.holderCode) : checked.ok.holderCode },
      });
    });
    if (!r.inserted.length) {
      const [existing] = await this.core.db
        .select({ id: certCertificates.id })
        .from(certCertificates)
        .where(and(eq(certCertificates.typeId, type.id), eq(certCertificates.number, checked.ok.number), eq(certCertificates.holderCodeHash, this.core.holderHash(checked.ok.holderCode))));
      throw errors.conflict(`certificate ${checked.ok.number} of this type is already issued to this holder`, { existingId: existing?.id });
    }
    return { ...(await this.reading.get(r.inserted[0].id))!, created: true };
  }
}
