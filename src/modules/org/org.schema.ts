// Organisations: the city, its districts, municipal departments and their sub-units, and enterprises.
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable short code: the division code for the city and districts (370200, 370202…), the department
     *  short code (DSJ, GAJ…), a sub-unit's parent code plus its own, or the enterprise's credit code. */
    code: text('code').notNull(),
    /** city | district | department | subunit | enterprise */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    parentId: uuid('parent_id'),
    /** Materialised path of ids from the root, for subtree filters without recursion ("/id1/id2/"). */
    path: text('path').notNull(),
    /** GB/T 2260 division the organisation sits in (370202 for a Shinan office, 370200 for city-level). */
    divisionCode: text('division_code').notNull(),
    /** GB 32100 unified social credit code, where the organisation has one. */
    creditCode: text('credit_code'),
    status: text('status').notNull().default('active'),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organisations_code_uq').on(t.code),
    uniqueIndex('organisations_credit_code_uq').on(t.creditCode).where(sql`credit_code is not null`),
    index('organisations_parent_idx').on(t.parentId),
    index('organisations_kind_name_idx').on(t.kind, t.name),
    index('organisations_path_idx').on(t.path.op('text_pattern_ops')),
    index('organisations_division_idx').on(t.divisionCode),
  ],
);
