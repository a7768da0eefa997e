// Chinese-friendly search without extensions: text is cut into character unigrams and bigrams (runs of
// Latin letters and digits stay whole words), stored as a tsvector literal and queried with tsquery
// literals, so PostgreSQL's own parser (which may drop CJK characters under a C locale) is never involved.
// The same code runs on PGlite and PostgreSQL.

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
const WORDCHAR = /[a-z0-9]/;

/** One normalised character per original character (full-width → half-width, lower case), so positions line up for highlighting. */
export function normaliseChars(text: string): string[] {
  return [...text].map((c) => {
    const n = c.normalize('NFKC').toLowerCase();
    return [...n].length === 1 ? n : c.toLowerCase();
  });
}

export function normalise(text: string): string {
  return normaliseChars(text).join('');
}

/** Runs of searchable text: CJK runs and Latin/digit words; punctuation and spaces split runs. */
export function segments(text: string): { kind: 'cjk' | 'word'; text: string }[] {
  const out: { kind: 'cjk' | 'word'; text: string }[] = [];
  let cur = '';
  let kind: 'cjk' | 'word' | null = null;
  const flush = () => {
    if (cur && kind) out.push({ kind, text: cur });
    cur = '';
    kind = null;
  };
  for (const c of normaliseChars(text)) {
    const k = CJK.test(c) ? 'cjk' : WORDCHAR.test(c) ? 'word' : null;
    if (k !== kind) flush();
    if (k) {
      kind = k;
      cur += c;
    }
  }
  flush();
  return out;
}

/** Bigrams of a text (runs of one CJK character give that character; Latin words stay whole). */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const s of segments(text)) {
    if (s.kind === 'word') out.push(s.text);
    else {
      const chars = [...s.text];
      if (chars.length === 1) out.push(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    }
  }
  return out;
}

/** Unigrams of CJK runs (for one-character queries). */
export function unigrams(text: string): string[] {
  return segments(text)
    .filter((s) => s.kind === 'cjk')
    .flatMap((s) => [...s.text]);
}

/** Quote a lexeme for a tsvector/tsquery literal. Tokens never contain quotes or backslashes, but be safe. */
export function lexeme(t: string): string {
  return `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export type Weight = 'A' | 'B' | 'C' | 'D';

/**
 * The tsvector literal for weighted parts (A: name and code, B: keywords, C: owner and zone names, D: description).
 * Each lexeme keeps its first position (positions matter little for ranking here, and keep the literal small).
 */
export function documentVector(parts: { text: string; weight: Weight }[]): string {
  const seen = new Map<string, string>();
  let pos = 1;
  for (const p of parts) {
    for (const tok of [...bigrams(p.text), ...unigrams(p.text)]) {
      if (!seen.has(tok)) seen.set(tok, `${lexeme(tok)}:${Math.min(pos, 16383)}${p.weight}`);
      pos++;
    }
  }
  return [...seen.values()].join(' ');
}

// ---- queries -----------------------------------------------------------------------------------

export interface SynonymTable {
  /** term → what people mean by it (and the term itself is searched too). */
  get(term: string): string[] | undefined;
  terms(): Iterable<string>;
}

export function synonymTable(map: Record<string, string[]> | Map<string, string[]>): SynonymTable {
  const m = map instanceof Map ? map : new Map(Object.entries(map));
  return { get: (t) => m.get(t), terms: () => m.keys() };
}

export interface QueryAlternative {
  /** The text searched: the input as typed, or with an abbreviation replaced by what it stands for. */
  text: string;
  grams: string[];
  /** How many of the grams a match needs: lenient for the typed text (a wrong character costs two bigrams), all of them for expansions. */
  minMatch: number;
  typed: boolean;
}

export interface QueryPlan {
  input: string;
  alternatives: QueryAlternative[];
  /** Every gram of every alternative, for the index pre-filter (OR) and for highlighting. */
  allGrams: string[];
  /** The synonym terms found in the input, with their expansions. */
  expanded: { term: string; expansions: string[] }[];
}

/** Grams needed from k bigrams of typed input: one wrong character in the middle removes two. */
export function minOverlap(k: number): number {
  if (k <= 2) return 1;
  return Math.max(1, Math.ceil((k - 2) * 0.8));
}

/** Turn what the user typed into the alternatives searched. Null when nothing searchable remains. */
export function planQuery(input: string, synonyms: SynonymTable): QueryPlan | null {
  const text = normalise(input).trim().slice(0, 100);
  const cjkChars = segments(text).reduce((n, s) => n + (s.kind === 'cjk' ? [...s.text].length : 1), 0);
  if (!cjkChars) return null;
  const typedGrams = [...new Set(bigrams(text))];
  const alternatives: QueryAlternative[] = [{ text, grams: typedGrams, minMatch: minOverlap(typedGrams.length), typed: true }];
  const expanded: { term: string; expansions: string[] }[] = [];
  // Longest terms first so 医保卡 wins over 医保 when both are listed.
  const terms = [...synonyms.terms()].filter((t) => text.includes(normalise(t))).sort((a, b) => b.length - a.length);
  const used: string[] = [];
  for (const term of terms) {
    const nt = normalise(term);
    if (used.some((u) => u.includes(nt))) continue;
    used.push(nt);
    const exps = synonyms.get(term) ?? [];
    expanded.push({ term, expansions: exps });
    for (const e of exps) {
      const alt = text.split(nt).join(normalise(e));
      const grams = [...new Set(bigrams(alt))];
      if (grams.length && !alternatives.some((a) => a.text === alt)) alternatives.push({ text: alt, grams, minMatch: grams.length, typed: false });
    }
  }
  const allGrams = [...new Set(alternatives.flatMap((a) => a.grams))];
  return { input, alternatives, allGrams, expanded };
}

/** tsquery literal matching any of the grams. */
export function orQuery(grams: string[]): string {
  return grams.map(lexeme).join(' | ');
}

// ---- highlighting ------------------------------------------------------------------------------

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Split `text` into plain and matched segments for the UI to render (as text nodes, never HTML):
 * a character is matched when it belongs to an occurrence of one of the grams (bigrams of the query
 * and its expansions) or of a whole alternative.
 */
export function highlight(text: string, needles: string[]): Segment[] {
  const chars = [...text];
  const norm = normaliseChars(text);
  const hit = new Array<boolean>(chars.length).fill(false);
  for (const n of needles) {
    const nc = normaliseChars(n);
    if (!nc.length) continue;
    for (let i = 0; i + nc.length <= norm.length; i++) {
      let ok = true;
      for (let j = 0; j < nc.length && ok; j++) ok = norm[i + j] === nc[j];
      if (ok) for (let j = 0; j < nc.length; j++) hit[i + j] = true;
    }
  }
  const out: Segment[] = [];
  chars.forEach((c, i) => {
    const last = out[out.length - 1];
    if (last && last.match === hit[i]) last.text += c;
    else out.push({ text: c, match: hit[i] });
  });
  return out;
}
