// Ingest: every load goes the same way. Rows are typed and checked as they stream in, good rows are
// written in chunks into a private staging table, set-level rules (unique, referential) run in SQL on the
// staging table, and then ONE transaction merges staging into the dataset (full: replace; incremental:
// upsert by key) together with the dataset's counters, the load's outcome and its audit entry. A process
// killed at any point before that commit leaves the dataset exactly as it was.
import { and, eq, sql } from 'drizzle-orm';
import { type Actor, systemActor } from '../../../platform/auth/actor';
import { recordAudit } from '../../../platform/audit/audit.service';
import { inTransaction, type Tx } from '../../../platform/db/client';
import { todayInShanghai } from '../../../platform/ids';
import { checkRowText } from '../../../platform/text';
import type { ItemType, ResourceDataShape } from '../contracts';
import { CHUNK, type ConnectorRow, type DatasetRow, ident, type InRow, type LoadRow, type LoadView, loadView, PROGRESS_EVERY } from './data.core';
import type { DataQuality } from './data.quality';
import { shareConnectors, shareDatasets, shareLoadRejects, shareLoads, shareObjections, shareQualityResults } from './data.schema';
import type { DataTables } from './data.tables';
import { DERIVED_THRESHOLD, type Problem, type QualityRule, type RuleKind, checkRow, isRowRule, typed } from './quality';

export class DataIngest {
  constructor(
    private readonly tables: DataTables,
    private readonly quality: DataQuality,
  ) {}

  private get deps() {
    return this.tables.deps;
  }

  private get db() {
    return this.deps.db;
  }

  private get isPostgres() {
    return this.deps.config.databaseUrl !== undefined && this.deps.config.databaseUrl !== '';
  }

  /**
   * Type, check, stage and merge. Rows failing an error-severity rule are never loaded; when any such rule
   * fails on more than its threshold the whole load is rejected and the dataset stays as it was.
   */
  async ingest(load: LoadRow, shape: ResourceDataShape, input: AsyncIterable<InRow>, actor: Actor | null, bytesRead?: () => number, connector?: ConnectorRow): Promise<LoadView> {
    const ds = await this.tables.ensureTable(shape);
    const rules = await this.quality.rules(shape.resourceId, shape);
    const items = shape.items;
    const types: Record<string, ItemType> = Object.fromEntries(items.map((i) => [i.name, i.type]));
    const known = new Set(items.map((i) => i.name));
    const stg = `share_data.stg_${load.id.replaceAll('-', '')}`;
    const today = todayInShanghai();
    await this.db.update(shareLoads).set({ state: 'running', startedAt: new Date(), error: null, rowsRead: 0, bytesRead: 0 }).where(eq(shareLoads.id, load.id));
    await this.db.execute(sql.raw(`drop table if exists ${stg}`));
    await this.db.delete(shareLoadRejects).where(eq(shareLoadRejects.loadId, load.id));
    await this.db.delete(shareQualityResults).where(eq(shareQualityResults.loadId, load.id));
    await this.db.execute(sql.raw(`create ${this.isPostgres ? 'unlogged ' : ''}table ${stg} (_rn integer not null, ${items.map((i) => `${ident(i.name)} ${this.tables.colType(ds, i.name)}`).join(', ')}, _rejected boolean not null default false)`));

    const failed = rules.map(() => 0);
    let typeFailed = 0;
    let read = 0;
    let rejectedRows = 0;
    let buf: (string | null)[][] = items.map(() => []);
    let rns: number[] = [];
    let rejBuf: { rowNumber: number; problems: Problem[]; raw: Record<string, unknown> }[] = [];
    // One chunk is written while the next is parsed and checked (at most one write in flight).
    let inFlight: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    const write = async (rnsChunk: number[], cols: (string | null)[][], rejects: typeof rejBuf) => {
      if (rnsChunk.length) {
        await this.tables.q(
          this.db,
          `insert into ${stg} (_rn, ${items.map((i) => ident(i.name)).join(', ')}) select u._rn, ${items.map((i, k) => `u.c${k}::${this.tables.colType(ds, i.name)}`).join(', ')} from unnest($1::int[], ${items.map((_, k) => `$${k + 2}::text[]`).join(', ')}) as u(_rn, ${items.map((_, k) => `c${k}`).join(', ')})`,
          [rnsChunk, ...cols],
        );
      }
      if (rejects.length) await this.db.insert(shareLoadRejects).values(rejects.map((r) => ({ loadId: load.id, ...r })));
    };
    const flush = async () => {
      await inFlight;
      if (writeError) throw writeError;
      if (!rns.length && !rejBuf.length) return;
      const chunk = write(rns, buf, rejBuf);
      buf = items.map(() => []);
      rns = [];
      rejBuf = [];
      inFlight = chunk.catch((err: unknown) => {
        writeError = err;
      });
    };

    // Uploaded files are checked against the platform's text rule by their reader; rows pushed or pulled here.
    const checkText = load.source !== 'upload';
    for await (const r of input) {
      read++;
      const row = r.row;
      let values = r.values;
      let textual = r.textProblems;
      if (!textual && checkText) {
        const bad = checkRowText(values);
        if (bad) [textual, values] = [bad.problems, bad.shown];
      }
      const canon: Record<string, string | null> = {};
      const problems: Problem[] = (textual ?? []).map((p) => ({ column: p.field, rule: 'type', message: p.message }));
      for (const k of Object.keys(values)) if (!known.has(k)) problems.push({ column: k, rule: 'type', message: 'unknown column' });
      for (const it of items) {
        const t = typed(it.type, values[it.name]);
        if ('error' in t) {
          problems.push({ column: it.name, rule: 'type', message: t.error });
          canon[it.name] = null;
        } else canon[it.name] = t.value;
      }
      if (problems.length) typeFailed++;
      let reject = problems.length > 0;
      for (const f of checkRow(rules, canon, types, today)) {
        failed[f.rule]++;
        if (rules[f.rule].severity === 'error') {
          reject = true;
          problems.push(f.problem);
        }
      }
      if (reject) {
        rejectedRows++;
        rejBuf.push({ rowNumber: row, problems, raw: values });
      } else {
        rns.push(row);
        items.forEach((it, k) => buf[k].push(canon[it.name]));
      }
      if (rns.length >= CHUNK || rejBuf.length >= CHUNK) await flush();
      if (read % PROGRESS_EVERY === 0) await this.db.update(shareLoads).set({ rowsRead: read, rowsRejected: rejectedRows, bytesRead: bytesRead?.() ?? 0 }).where(eq(shareLoads.id, load.id));
    }
    await flush();
    await inFlight;
    if (writeError) throw writeError;

    // Set-level rules on the staged rows.
    const tableOfResource = async (rid: string) => {
      const s = await this.tables.shape(rid);
      return s ? (await this.tables.ensureTable(s)).tableName : null;
    };
    const markRejected = async (rule: QualityRule, cond: string, message: string, column: string) => {
      const hit = await this.tables.q<Record<string, unknown> & { _rn: number }>(this.db, `update ${stg} s set _rejected = true where not s._rejected and (${cond}) returning s.*`);
      if (hit.length) {
        const withRaw = hit.map((h) => {
          const raw: Record<string, unknown> = {};
          for (const it of items) raw[it.name] = h[it.name] instanceof Date ? (h[it.name] as Date).toISOString() : h[it.name];
          return { loadId: load.id, rowNumber: h._rn, problems: [{ column, rule: rule.kind, message }], raw };
        });
        for (let i = 0; i < withRaw.length; i += CHUNK) await this.db.insert(shareLoadRejects).values(withRaw.slice(i, i + CHUNK));
      }
      return hit.length;
    };
    const count = async (cond: string) => (await this.tables.q<{ n: number }>(this.db, `select count(*)::int as n from ${stg} s where not s._rejected and (${cond})`))[0].n;
    for (const [i, r] of rules.entries()) {
      if (isRowRule(r.kind)) continue;
      if (r.kind === 'unique') {
        const cols = r.column!.split(',').map(ident);
        const isKey = r.column === ds.keyColumns.join(',');
        let cond = `s._rn in (select _rn from (select _rn, row_number() over (partition by ${cols.join(', ')} order by _rn) as k from ${stg} where not _rejected and ${cols.map((c) => `${c} is not null`).join(' and ')}) d where d.k > 1)`;
        if (!isKey && load.mode === 'incremental' && ds.keyColumns.length)
          cond += ` or exists (select 1 from ${ds.tableName} t where ${cols.map((c) => `t.${c} = s.${c}`).join(' and ')} and not (${ds.keyColumns.map((k) => `t.${ident(k)} = s.${ident(k)}`).join(' and ')}))`;
        // Duplicate keys can never be merged: they are rejected whatever the rule's severity.
        failed[i] = r.severity === 'error' || isKey ? await markRejected(r, cond, `duplicate value of ${r.column}`, r.column!) : await count(cond);
        rejectedRows += r.severity === 'error' || isKey ? failed[i] : 0;
      } else if (r.kind === 'referential') {
        const other = await tableOfResource(String(r.params.resourceId));
        if (!other) continue;
        const col = ident(r.column!);
        const cond = `s.${col} is not null and not exists (select 1 from ${other} o where o.${ident(String(r.params.column))}::text = s.${col}::text)`;
        failed[i] = r.severity === 'error' ? await markRejected(r, cond, `no ${String(r.params.column)} = value in the referenced dataset`, r.column!) : await count(cond);
        if (r.severity === 'error') rejectedRows += failed[i];
      } else if (r.kind === 'row_count') {
        const min = r.params.min as number | undefined;
        const max = r.params.max as number | undefined;
        failed[i] = (min !== undefined && read < min) || (max !== undefined && read > max) ? 1 : 0;
      }
    }

    // Decide.
    const results = rules
      .map((r, i) => {
        if (r.kind === 'freshness') return null;
        const checked = r.kind === 'row_count' ? 1 : read;
        const share = checked ? failed[i] / checked : 0;
        const passed = r.kind === 'row_count' ? failed[i] === 0 : share <= r.threshold;
        return { ruleId: r.id ?? null, kind: r.kind as RuleKind | 'type', column: r.column, severity: r.severity, checked, failed: failed[i], passed, threshold: r.threshold };
      })
      .filter((x) => x !== null);
    results.unshift({ ruleId: null, kind: 'type', column: null, severity: 'error', checked: read, failed: typeFailed, passed: read ? typeFailed / read <= DERIVED_THRESHOLD : true, threshold: DERIVED_THRESHOLD });
    const blocking = results.filter((r) => r.severity === 'error' && !r.passed);
    const resultRows = results.map((r) => ({ ...r, loadId: load.id, resourceId: shape.resourceId }));
    const who = actor ?? systemActor(`share-${load.source}`);

    try {
      if (blocking.length) {
        const error = `rejected: ${blocking.map((b) => `${b.kind}${b.column ? `(${b.column})` : ''} failed on ${b.failed} of ${b.checked} rows, above the threshold ${b.threshold}`).join('; ')}`;
        await inTransaction(this.db, async (tx) => {
          await tx.insert(shareQualityResults).values(resultRows);
          await tx.update(shareLoads).set({ state: 'rejected', error, rowsRead: read, rowsRejected: rejectedRows, rowsLoaded: 0, bytesRead: bytesRead?.() ?? 0, finishedAt: new Date() }).where(eq(shareLoads.id, load.id));
          await recordAudit(tx, who, { action: 'share.data.load.rejected', entityType: 'share_load', entityId: load.id, orgId: shape.providerOrgId, after: { resourceId: shape.resourceId, rowsRead: read, rowsRejected: rejectedRows } });
          if (connector) await tx.update(shareConnectors).set({ lastRunAt: new Date(), lastLoadId: load.id, lastError: error.slice(0, 2000) }).where(eq(shareConnectors.id, connector.id));
        });
      } else await this.merge(load, shape, ds, stg, read, rejectedRows, resultRows, who, bytesRead?.() ?? 0, connector);
    } finally {
      await this.db.execute(sql.raw(`drop table if exists ${stg}`));
    }
    const [done] = await this.db.select().from(shareLoads).where(eq(shareLoads.id, load.id));
    return loadView(done);
  }

  /** The one transaction that changes the dataset. */
  private async merge(load: LoadRow, shape: ResourceDataShape, ds: DatasetRow, stg: string, read: number, rejected: number, results: (typeof shareQualityResults.$inferInsert)[], who: Actor, bytes: number, connector?: ConnectorRow) {
    const cols = shape.items.map((i) => ident(i.name));
    const keys = ds.keyColumns.map(ident);
    const change = shape.items.find((i) => i.change)?.name;
    await inTransaction(this.db, async (tx) => {
      await this.tables.q(tx, `select pg_advisory_xact_lock(hashtext($1))`, [ds.tableName]);
      const corrected = await this.markCorrections(tx, shape, ds, stg, load.id);
      let inserted = 0;
      let updated = 0;
      let rowCount: number;
      if (load.mode === 'full') {
        await this.tables.q(tx, `delete from ${ds.tableName}`);
        const [r] = await this.tables.q<{ n: number }>(tx, `with ins as (insert into ${ds.tableName} (${cols.join(', ')}, _load_id, _loaded_at) select ${cols.join(', ')}, $1::uuid, now() from ${stg} where not _rejected order by _rn returning 1) select count(*)::int as n from ins`, [load.id]);
        inserted = r.n;
        rowCount = r.n;
      } else {
        const set = [...cols.filter((c) => !keys.includes(c)).map((c) => `${c} = excluded.${c}`), '_load_id = excluded._load_id', '_loaded_at = excluded._loaded_at'];
        const [r] = await this.tables.q<{ ins: number; upd: number }>(
          tx,
          `with up as (insert into ${ds.tableName} (${cols.join(', ')}, _load_id, _loaded_at) select ${cols.join(', ')}, $1::uuid, now() from ${stg} where not _rejected order by _rn
             on conflict (${keys.join(', ')}) do update set ${set.join(', ')} returning (xmax = 0) as fresh)
           select count(*) filter (where fresh)::int as ins, count(*) filter (where not fresh)::int as upd from up`,
          [load.id],
        );
        inserted = r.ins;
        updated = r.upd;
        const [cur] = await tx.select({ n: shareDatasets.rowCount }).from(shareDatasets).where(eq(shareDatasets.resourceId, shape.resourceId));
        rowCount = cur.n + inserted;
      }
      let watermark: string | null = null;
      if (change) [{ watermark }] = await this.tables.q<{ watermark: string | null }>(tx, `select to_json(max(${ident(change)}))#>>'{}' as watermark from ${stg} where not _rejected`);
      await tx
        .update(shareDatasets)
        .set({ rowCount, lastLoadedAt: new Date(), ...(watermark ? { changeWatermark: sql`case when ${shareDatasets.changeWatermark} is null or ${shareDatasets.changeWatermark} < ${watermark} then ${watermark} else ${shareDatasets.changeWatermark} end` } : {}) })
        .where(eq(shareDatasets.resourceId, shape.resourceId));
      if (results.length) await tx.insert(shareQualityResults).values(results);
      await tx
        .update(shareLoads)
        .set({ state: 'succeeded', rowsRead: read, rowsRejected: rejected, rowsLoaded: inserted + updated, rowsInserted: inserted, rowsUpdated: updated, bytesRead: bytes, finishedAt: new Date() })
        .where(eq(shareLoads.id, load.id));
      if (connector) {
        await tx
          .update(shareConnectors)
          .set({ lastRunAt: new Date(), lastLoadId: load.id, lastError: null, ...(watermark ? { watermark: sql`case when ${shareConnectors.watermark} is null or ${shareConnectors.watermark} < ${watermark} then ${watermark} else ${shareConnectors.watermark} end` } : {}) })
          .where(eq(shareConnectors.id, connector.id));
      }
      await recordAudit(tx, who, { action: 'share.data.load', entityType: 'share_load', entityId: load.id, orgId: shape.providerOrgId, after: { resourceId: shape.resourceId, mode: load.mode, source: load.source, rowsRead: read, inserted, updated, rejected, corrected } });
    });
    this.tables.forget(shape.resourceId); // row counts are read fresh; drop the cached copy
  }

  /** Accepted objections whose column the staged row changes are marked corrected by this load. */
  private async markCorrections(tx: Tx, shape: ResourceDataShape, ds: DatasetRow, stg: string, loadId: string): Promise<number> {
    const open = await tx.select().from(shareObjections).where(and(eq(shareObjections.resourceId, shape.resourceId), eq(shareObjections.state, 'answered')));
    let n = 0;
    for (const o of open) {
      if (!ds.columns.some((c) => c.name === o.column)) continue;
      const parts = o.recordKey.split('|');
      if (parts.length !== ds.keyColumns.length) continue;
      const params: unknown[] = [];
      const cond = ds.keyColumns.map((k, i) => {
        params.push(parts[i]);
        return `s.${ident(k)} = $${params.length}::${this.tables.colType(ds, k)}`;
      });
      const col = ident(o.column);
      const [hit] = await this.tables.q<{ changed: boolean }>(
        tx,
        `select (s.${col}::text is distinct from d.${col}::text) as changed from ${stg} s left join ${ds.tableName} d on ${ds.keyColumns.map((k) => `d.${ident(k)} = s.${ident(k)}`).join(' and ')} where not s._rejected and ${cond.join(' and ')} limit 1`,
        params,
      );
      if (hit?.changed) {
        await tx.update(shareObjections).set({ state: 'corrected', correctedLoadId: loadId, correctedAt: new Date() }).where(eq(shareObjections.id, o.id));
        n++;
      }
    }
    return n;
  }
}
