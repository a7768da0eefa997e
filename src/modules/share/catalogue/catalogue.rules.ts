// What the catalogue computes from a resource's fields: its search document and the query for a search
// text (Chinese bigrams), and the semantic problems that stop a version from being published.
import type { FieldError } from '../../../platform/http/problem';
import { bigrams, documentVector, lexeme, unigrams } from '../../../platform/search';
import { ITEM_NAME, type ResourceFields } from './catalogue.core';

/** The search document: name and code (A), item labels and names (B), summary (C), classification and provider (D). */
export function resourceVector(code: string, f: Pick<ResourceFields, 'name' | 'summary' | 'classification' | 'items'>, providerName: string): string {
  return documentVector([
    { text: f.name, weight: 'A' },
    { text: code, weight: 'A' },
    { text: f.items.map((i) => `${i.label} ${i.name}`).join(' '), weight: 'B' },
    { text: f.summary, weight: 'C' },
    { text: `${f.classification} ${providerName}`, weight: 'D' },
  ]);
}

/** Every bigram of the query must be present (unigrams for a one-character query); null when nothing searchable. */
export function resourceQuery(q: string): string | null {
  const grams = [...new Set(bigrams(q))];
  const use = grams.length ? grams : unigrams(q);
  if (!use.length) return null;
  return use.map(lexeme).join(' & ');
}

/** The semantic problems that stop a version from being published (paths into the resource body). */
export function publishProblems(f: ResourceFields, known: { relatedCodes: Set<string> }): FieldError[] {
  const errs: FieldError[] = [];
  if (!f.items.length) errs.push({ path: '/items', message: 'a resource needs at least one data item' });
  const seen = new Set<string>();
  let keys = 0;
  let changes = 0;
  f.items.forEach((it, i) => {
    if (!ITEM_NAME.test(it.name)) errs.push({ path: `/items/${i}/name`, message: 'must be lower snake case ASCII starting with a letter (at most 63 characters)' });
    else if (seen.has(it.name)) errs.push({ path: `/items/${i}/name`, message: `duplicate item name ${it.name}` });
    seen.add(it.name);
    if (!it.label?.trim()) errs.push({ path: `/items/${i}/label`, message: 'required' });
    if (it.key) {
      keys++;
      if (it.required === false) errs.push({ path: `/items/${i}/required`, message: 'a key item is always required' });
      if (it.type === 'boolean' || it.type === 'decimal') errs.push({ path: `/items/${i}/type`, message: 'a key item cannot be boolean or decimal' });
    }
    if (it.change) {
      changes++;
      if (it.type !== 'date' && it.type !== 'datetime') errs.push({ path: `/items/${i}/type`, message: 'the change item must be a date or datetime' });
    }
  });
  if (f.items.length && keys === 0) errs.push({ path: '/items', message: 'at least one item must be part of the record key' });
  if (changes > 1) errs.push({ path: '/items', message: 'at most one change item' });
  if (f.category === 'basic' && !f.basicKind) errs.push({ path: '/basicKind', message: 'required for a basic resource' });
  if (f.category !== 'basic' && f.basicKind) errs.push({ path: '/basicKind', message: 'only basic resources have a basic kind' });
  const needsBasis = f.sharingType !== 'unconditional' || f.openingType === 'none';
  if (needsBasis && !f.legalBasis?.trim()) errs.push({ path: '/legalBasis', message: `required when sharing is ${f.sharingType} or opening is ${f.openingType}` });
  if (f.sharingType === 'conditional' && !f.sharingCondition?.trim()) errs.push({ path: '/sharingCondition', message: 'required for conditional sharing' });
  f.relatedCodes.forEach((c, i) => {
    if (!known.relatedCodes.has(c)) errs.push({ path: `/relatedCodes/${i}`, message: `no resource ${c}` });
  });
  if (!f.classification.trim()) errs.push({ path: '/classification', message: 'required' });
  if (!f.summary.trim()) errs.push({ path: '/summary', message: 'required' });
  return errs;
}
