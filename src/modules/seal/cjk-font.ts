// Chinese text in generated PDFs. The system's CJK fonts (Noto CJK) are OpenType collections (.ttc)
// with CID-keyed CFF outlines; pdf-lib can open a face of the collection through fontkit, but fontkit's
// CFF subsetter writes a CID-keyed subset that poppler rejects ("Embedded font file may be invalid"),
// and embedding the whole face would put ~20 MB into every document. So the glyphs used are written as
// a Type 3 font: each glyph's outline (read with fontkit) becomes a small PDF path procedure, with a
// ToUnicode map so the text stays selectable and searchable. A Type 3 font holds at most 255 codes, so a
// document with more distinct characters gets further fonts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFPage, PDFRef, PDFHexString, type PDFOperator, pushGraphicsState, popGraphicsState, beginText, endText, setFontAndSize, showText, setTextMatrix, setFillingRgbColor } from 'pdf-lib';

interface FkGlyph {
  id: number;
  advanceWidth: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  path: { commands: { command: string; args: number[] }[] };
}
interface FkFont {
  unitsPerEm: number;
  postscriptName: string;
  glyphForCodePoint(cp: number): FkGlyph;
}

export type CjkStyle = 'serif-bold' | 'serif' | 'sans';

const PREFERENCES: Record<CjkStyle, RegExp[]> = {
  'serif-bold': [/^NotoSerifCJKsc-Bold$/, /^NotoSerifCJKsc-/, /SerifCJKsc|SerifSC|Song|Ming/i, /CJKsc|SC/],
  serif: [/^NotoSerifCJKsc-Regular$/, /^NotoSerifCJKsc-/, /SerifCJKsc|SerifSC|Song|Ming/i, /CJKsc|SC/],
  sans: [/^NotoSansCJKsc-Regular$/, /^NotoSansCJKsc-/, /CJKsc|SC/],
};

/** Ask fontconfig for the installed fonts covering Chinese and pick one for the style. */
export function findCjkFont(style: CjkStyle): { file: string; postscriptName: string } {
  let listing = '';
  try {
    listing = execFileSync('fc-list', [':lang=zh', '-f', '%{file}|%{postscriptname}\n'], { encoding: 'utf8', timeout: 10_000 });
  } catch {
    throw new Error('no Chinese font found: fontconfig (fc-list) is not available');
  }
  const fonts = listing
    .split('\n')
    .map((l) => l.split('|'))
    .filter((p) => p.length === 2 && p[0] && p[1] && /\.(ttc|otf|ttf)$/i.test(p[0]))
    .map(([file, postscriptName]) => ({ file, postscriptName }));
  for (const re of PREFERENCES[style]) {
    const hit = fonts.find((f) => re.test(f.postscriptName));
    if (hit) return hit;
  }
  if (fonts[0]) return fonts[0];
  throw new Error('no Chinese font found: install a CJK font (e.g. fonts-noto-cjk)');
}

const loaded = new Map<CjkStyle, FkFont>();

/** The face for a style, parsed once per process (fontkit reads glyphs lazily from the file's bytes). */
export function cjkFont(style: CjkStyle): FkFont {
  let f = loaded.get(style);
  if (!f) {
    const { file, postscriptName } = findCjkFont(style);
    const bytes = fs.readFileSync(file);
    const opened = (fontkit as unknown as { create(b: Uint8Array, name?: string): FkFont & { fonts?: FkFont[] } }).create(bytes, postscriptName);
    f = opened;
    loaded.set(style, f);
  }
  return f;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** A glyph's box; an empty glyph (a space) has an infinite one in fontkit, which PDF cannot say. */
function boxOf(g: FkGlyph) {
  const b = g.bbox;
  return [b.minX, b.minY, b.maxX, b.maxY].every(Number.isFinite) ? b : { minX: 0, minY: 0, maxX: 0, maxY: 0 };
}

function glyphProcedure(g: FkGlyph): string {
  const b = boxOf(g);
  const ops: string[] = [`${num(g.advanceWidth)} 0 ${num(b.minX)} ${num(b.minY)} ${num(b.maxX)} ${num(b.maxY)} d1`];
  let cx = 0;
  let cy = 0;
  for (const c of g.path.commands) {
    const a = c.args;
    if (c.command === 'moveTo' || c.command === 'lineTo') {
      ops.push(`${num(a[0])} ${num(a[1])} ${c.command === 'moveTo' ? 'm' : 'l'}`);
      [cx, cy] = a;
    } else if (c.command === 'bezierCurveTo') {
      ops.push(`${a.map(num).join(' ')} c`);
      [cx, cy] = [a[4], a[5]];
    } else if (c.command === 'quadraticCurveTo') {
      // Raise the quadratic to a cubic: control points at two thirds towards the quadratic's control.
      const [qx, qy, x, y] = a;
      ops.push(`${num(cx + (2 / 3) * (qx - cx))} ${num(cy + (2 / 3) * (qy - cy))} ${num(x + (2 / 3) * (qx - x))} ${num(y + (2 / 3) * (qy - y))} ${num(x)} ${num(y)} c`);
      [cx, cy] = [x, y];
    } else if (c.command === 'closePath') ops.push('h');
  }
  ops.push('f');
  return ops.join('\n');
}

function utf16Hex(cp: number): string {
  return Buffer.from(String.fromCodePoint(cp), 'utf16le').swap16().toString('hex').toUpperCase();
}

interface Chunk {
  ref: PDFRef;
  codes: Map<number, number>; // glyph id → code
  glyphs: { code: number; glyph: FkGlyph; cp: number }[];
  names: Map<PDFPage, PDFName>;
}

/** Writes text in one CJK face into one PDF document as Type 3 fonts; call `finish()` before saving. */
export class CjkText {
  private readonly chunks: Chunk[] = [];
  private finished = false;

  constructor(
    private readonly doc: PDFDocument,
    readonly font: FkFont,
  ) {}

  static forStyle(doc: PDFDocument, style: CjkStyle) {
    return new CjkText(doc, cjkFont(style));
  }

  private glyphsOf(text: string) {
    return [...text].map((ch) => {
      const cp = ch.codePointAt(0)!;
      return { cp, glyph: this.font.glyphForCodePoint(cp) };
    });
  }

  /** Width of the text at a size, in points. */
  width(text: string, size: number): number {
    return this.glyphsOf(text).reduce((w, g) => w + g.glyph.advanceWidth, 0) * (size / this.font.unitsPerEm);
  }

  private codeFor(glyph: FkGlyph, cp: number): { chunk: Chunk; code: number } {
    for (const chunk of this.chunks) {
      const code = chunk.codes.get(glyph.id);
      if (code !== undefined) return { chunk, code };
    }
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.glyphs.length >= 255) {
      chunk = { ref: this.doc.context.nextRef(), codes: new Map(), glyphs: [], names: new Map() };
      this.chunks.push(chunk);
    }
    const code = chunk.glyphs.length + 1;
    chunk.codes.set(glyph.id, code);
    chunk.glyphs.push({ code, glyph, cp });
    return { chunk, code };
  }

  private fontName(page: PDFPage, chunk: Chunk): PDFName {
    let name = chunk.names.get(page);
    if (!name) {
      name = page.node.newFontDictionary('CJK', chunk.ref);
      chunk.names.set(page, name);
    }
    return name;
  }

  /**
   * Draw text with its baseline starting at (x, y), rotated by `angle` radians about that point, in the
   * colour given (0..1 RGB).
   */
  draw(page: PDFPage, text: string, opts: { x: number; y: number; size: number; angle?: number; color?: [number, number, number] }) {
    if (this.finished) throw new Error('CjkText already finished');
    const cos = Math.cos(opts.angle ?? 0);
    const sin = Math.sin(opts.angle ?? 0);
    const scale = opts.size / this.font.unitsPerEm;
    const ops: PDFOperator[] = [pushGraphicsState(), beginText()];
    if (opts.color) ops.push(setFillingRgbColor(...opts.color));
    let advance = 0;
    let current: Chunk | null = null;
    let run: number[] = [];
    let runStart = 0;
    const flush = () => {
      if (!current || !run.length) return;
      const x = opts.x + runStart * cos;
      const y = opts.y + runStart * sin;
      ops.push(setFontAndSize(this.fontName(page, current), opts.size), setTextMatrix(cos, sin, -sin, cos, x, y), showText(PDFHexString.of(run.map((c) => c.toString(16).padStart(2, '0')).join(''))));
      run = [];
    };
    for (const { cp, glyph } of this.glyphsOf(text)) {
      const { chunk, code } = this.codeFor(glyph, cp);
      if (chunk !== current) {
        flush();
        current = chunk;
        runStart = advance;
      }
      run.push(code);
      advance += glyph.advanceWidth * scale;
    }
    flush();
    ops.push(endText(), popGraphicsState());
    page.pushOperators(...ops);
  }

  /** Write every font's glyph procedures, widths and ToUnicode map into the document. */
  finish() {
    if (this.finished) return;
    this.finished = true;
    const ctx = this.doc.context;
    const upm = this.font.unitsPerEm;
    for (const chunk of this.chunks) {
      const procs = PDFDict.withContext(ctx);
      const differences: (number | PDFName)[] = [1];
      const widths: number[] = [];
      let minX = 0;
      let minY = 0;
      let maxX = 0;
      let maxY = 0;
      for (const { code, glyph } of chunk.glyphs) {
        const name = PDFName.of(`g${code}`);
        procs.set(name, ctx.register(ctx.flateStream(glyphProcedure(glyph))));
        differences.push(name);
        widths.push(glyph.advanceWidth);
        const b = boxOf(glyph);
        minX = Math.min(minX, b.minX);
        minY = Math.min(minY, b.minY);
        maxX = Math.max(maxX, b.maxX);
        maxY = Math.max(maxY, b.maxY);
      }
      const cmap = [
        '/CIDInit /ProcSet findresource begin',
        '12 dict begin',
        'begincmap',
        '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
        '/CMapName /Adobe-Identity-UCS def',
        '/CMapType 2 def',
        '1 begincodespacerange',
        '<01> <FF>',
        'endcodespacerange',
        `${chunk.glyphs.length} beginbfchar`,
        ...chunk.glyphs.map((g) => `<${g.code.toString(16).padStart(2, '0').toUpperCase()}> <${utf16Hex(g.cp)}>`),
        'endbfchar',
        'endcmap',
        'CMapName currentdict /CMap defineresource pop',
        'end',
        'end',
      ].join('\n');
      const font = ctx.obj({
        Type: 'Font',
        Subtype: 'Type3',
        FontBBox: [minX, minY, maxX, maxY],
        FontMatrix: [1 / upm, 0, 0, 1 / upm, 0, 0],
        CharProcs: procs,
        Encoding: ctx.obj({ Type: 'Encoding', Differences: differences.map((d) => (typeof d === 'number' ? PDFNumber.of(d) : d)) }),
        FirstChar: 1,
        LastChar: chunk.glyphs.length,
        Widths: widths,
        Resources: ctx.obj({}),
        ToUnicode: ctx.register(ctx.flateStream(cmap)),
      });
      ctx.assign(chunk.ref, font);
    }
  }
}
