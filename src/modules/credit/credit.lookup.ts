// The public credit lookup: subjects with records in publication found by name or credit code, and a
// subject's records — persons masked, only what is in publication.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { rows as rawRows, type Db } from '../../platform/db/client';
import { errors } from '../../platform/http/problem';
import { maskCitizenId, maskName } from '../../platform/ids';
import { creditRecords } from './credit.schema';
import type { CreditDeps } from './credit.settings';
import { nameQuery, type RecordRow, recordView } from './credit.views';

export class CreditLookup {
  private readonly db: Db;
  constructor(d: CreditDeps) {
    this.db = d.db;
  }

  async publicSearch(f: { q: string; limit: number; offset: number }) {
    const q = f.q.trim();
    let match: SQL;
    if (/^[0-9A-Z]{18}$/i.test(q)) match = sql`subject_code = ${q.toUpperCase()} and subject_category <> '自然人'`;
    else {
      const tsq = nameQuery(q);
      if (!tsq) return { items: [], total: 0, limit: f.limit, offset: f.offset };
      match = sql`search_vector @@ ${tsq}::tsquery`;
    }
    const items = await rawRows<{ key: string; code: string; name: string; category: string; licences: number; penalties: number }>(
      this.db,
      sql`select subject_key as key, min(subject_code) as code, min(subject_name) as name, min(subject_category) as category,
                 count(*) filter (where kind = 'licence')::int as licences, count(*) filter (where kind = 'penalty')::int as penalties
          from credit_records where status = 'published' and ${match}
          group by subject_key order by min(subject_name), subject_key limit ${f.limit} offset ${f.offset}`,
    );
    const [{ n }] = await rawRows<{ n: number }>(this.db, sql`select count(distinct subject_key)::int as n from credit_records where status = 'published' and ${match}`);
    return {
      items: items.map((i) => {
        const person = i.category === '自然人';
        return { key: i.key, code: person ? maskCitizenId(i.code) : i.code, name: person ? maskName(i.name) : i.name, kind: person ? 'person' : 'organisation', licences: i.licences, penalties: i.penalties };
      }),
      total: n,
      limit: f.limit,
      offset: f.offset,
    };
  }

  /** A subject by credit code (or the public key of a person): only records in publication, masked. */
  async publicSubject(code: string) {
    const key = code.trim();
    const recs = await this.db
      .select()
      .from(creditRecords)
      .where(and(eq(creditRecords.subjectKey, /^[0-9a-z]{18}$/i.test(key) ? key.toUpperCase() : key), eq(creditRecords.status, 'published')))
      .orderBy(desc(creditRecords.decisionDate))
      .limit(500);
    if (!recs.length) throw errors.notFound('subject');
    const first = recs[0];
    const person = first.subjectCategory === '自然人';
    const view = (r: RecordRow) => {
      const v = recordView(r, true);
      return { id: v.id, kind: v.kind, record: v.record, documentNo: v.documentNo, decisionDate: v.decisionDate, authorityCode: v.authorityCode, severity: v.severity, publicationEnds: v.publicationEnds, publishedAt: v.publishedAt, status: v.status };
    };
    return {
      subject: { key: first.subjectKey, code: person ? maskCitizenId(first.subjectCode) : first.subjectCode, name: person ? maskName(first.subjectName) : first.subjectName, kind: person ? 'person' : 'organisation' },
      licences: recs.filter((r) => r.kind === 'licence').map(view),
      penalties: recs.filter((r) => r.kind === 'penalty').map(view),
    };
  }
}
