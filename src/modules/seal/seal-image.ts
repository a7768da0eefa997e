// The classic red round seal of a Chinese government department: an outer ring, a five-pointed star in
// the middle, the department's name along the upper arc (each character upright towards the rim) and a
// short line under the star. One geometry, drawn two ways: SVG for the console and vector paths plus
// Type 3 text in a PDF.
import { PDFPage, popGraphicsState, pushGraphicsState, setFillingRgbColor, setStrokingRgbColor, setLineWidth, moveTo, lineTo, closePath, fill, stroke, appendBezierCurve } from 'pdf-lib';
import type { CjkText } from './cjk-font';

export const SEAL_RED: [number, number, number] = [0.8, 0.08, 0.1];
const SEAL_RED_CSS = '#cc1419';
export const SEAL_SUBTITLE = '电子印章';

interface Placed {
  ch: string;
  /** Centre of the character, relative to the seal centre, in units of the radius (y up). */
  x: number;
  y: number;
  /** Rotation in radians (counter-clockwise, y up). */
  angle: number;
}

/** Where each character of the name goes: along an arc of up to 240°, centred on the top. */
export function arcLayout(name: string): { chars: Placed[]; size: number } {
  const chars = [...name];
  const n = chars.length;
  const span = Math.min((240 * Math.PI) / 180, Math.max(n - 1, 1) * ((34 * Math.PI) / 180));
  // Longer names get smaller characters so they fit the arc without touching.
  const radius = 0.68;
  const step = n > 1 ? span / (n - 1) : 0;
  const size = Math.min(0.3, Math.max(0.14, step * radius * 0.92));
  return {
    size,
    chars: chars.map((ch, i) => {
      const theta = Math.PI / 2 + span / 2 - i * step;
      return { ch, x: radius * Math.cos(theta), y: radius * Math.sin(theta), angle: theta - Math.PI / 2 };
    }),
  };
}

/** The five-pointed star's ten corners (y up), in units of the radius. */
export function starPoints(outer = 0.28): [number, number][] {
  const inner = outer * 0.382;
  const pts: [number, number][] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const a = Math.PI / 2 + (k * Math.PI) / 5;
    pts.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return pts;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const f2 = (n: number) => (Math.round(n * 100) / 100).toString();

/** The seal as a standalone SVG image, `px` pixels wide. */
export function sealSvg(name: string, px = 240): string {
  const R = px / 2;
  const c = R;
  const ring = R * 0.055;
  const { chars, size } = arcLayout(name);
  const star = starPoints()
    .map(([x, y], i) => `${i ? 'L' : 'M'}${f2(c + x * R)},${f2(c - y * R)}`)
    .join(' ');
  const texts = chars
    .map((p) => `<text x="0" y="0" transform="translate(${f2(c + p.x * R)} ${f2(c - p.y * R)}) rotate(${f2((-p.angle * 180) / Math.PI)})" font-size="${f2(size * R)}" text-anchor="middle" dominant-baseline="central">${esc(p.ch)}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${px} ${px}" role="img" aria-label="${esc(name)}">`,
    `<g fill="${SEAL_RED_CSS}" font-family="'Noto Serif CJK SC','Source Han Serif SC','SimSun',serif" font-weight="700">`,
    `<circle cx="${c}" cy="${c}" r="${f2(R - ring / 2 - 1)}" fill="none" stroke="${SEAL_RED_CSS}" stroke-width="${f2(ring)}"/>`,
    `<path d="${star} Z"/>`,
    texts,
    `<text x="${c}" y="${f2(c + R * 0.5)}" font-size="${f2(R * 0.13)}" text-anchor="middle" dominant-baseline="central">${SEAL_SUBTITLE}</text>`,
    `</g></svg>`,
  ].join('');
}

/** Draw the seal on a PDF page centred at (cx, cy) with diameter `d` points. */
export function drawSealOnPage(page: PDFPage, text: CjkText, name: string, at: { cx: number; cy: number; d: number }) {
  const R = at.d / 2;
  const ring = R * 0.055;
  const rr = R - ring / 2;
  // A circle as four Bézier quarter arcs (k = 4/3·(√2−1)).
  const k = 0.5523 * rr;
  const { cx, cy } = at;
  page.pushOperators(
    pushGraphicsState(),
    setStrokingRgbColor(...SEAL_RED),
    setFillingRgbColor(...SEAL_RED),
    setLineWidth(ring),
    moveTo(cx + rr, cy),
    appendBezierCurve(cx + rr, cy + k, cx + k, cy + rr, cx, cy + rr),
    appendBezierCurve(cx - k, cy + rr, cx - rr, cy + k, cx - rr, cy),
    appendBezierCurve(cx - rr, cy - k, cx - k, cy - rr, cx, cy - rr),
    appendBezierCurve(cx + k, cy - rr, cx + rr, cy - k, cx + rr, cy),
    closePath(),
    stroke(),
  );
  const pts = starPoints();
  page.pushOperators(moveTo(cx + pts[0][0] * R, cy + pts[0][1] * R), ...pts.slice(1).map(([x, y]) => lineTo(cx + x * R, cy + y * R)), closePath(), fill(), popGraphicsState());
  const { chars, size } = arcLayout(name);
  const s = size * R;
  for (const p of chars) {
    // Centre the glyph on its arc point: step back half its width along its baseline and ~0.38 em down.
    const w = text.width(p.ch, s);
    const cos = Math.cos(p.angle);
    const sin = Math.sin(p.angle);
    const ox = -w / 2;
    const oy = -s * 0.38;
    text.draw(page, p.ch, { x: cx + p.x * R + ox * cos - oy * sin, y: cy + p.y * R + ox * sin + oy * cos, size: s, angle: p.angle, color: SEAL_RED });
  }
  const subSize = R * 0.13;
  text.draw(page, SEAL_SUBTITLE, { x: cx - text.width(SEAL_SUBTITLE, subSize) / 2, y: cy - R * 0.5 - subSize * 0.38, size: subSize, color: SEAL_RED });
}
