// A PDF signature the standard way (ISO 32000-1 §12.8): a signature field whose value dictionary has a
// /ByteRange covering the whole file except the /Contents hole, and the CMS SignedData over those bytes
// written into the hole. pdf-lib writes the document (full save, classic xref, no object streams so the
// placeholders are plain text); the byte offsets are patched in afterwards, which keeps the length.
import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFPage } from 'pdf-lib';
import { CjkText } from './cjk-font';
import { drawSealOnPage } from './seal-image';

/** Room for the CMS (hex digits): an RSA-2048 signature with two certificates needs about 7,000. */
const CONTENTS_HEX = 16_384;
const BYTE_RANGE_PLACEHOLDER = '/ByteRange [ 0 /DQBR0000000001 /DQBR0000000002 /DQBR0000000003 ]';

export type SealPosition = 'bottom-right' | 'bottom-center' | 'bottom-left' | 'top-right' | 'center';
export const SEAL_POSITIONS: SealPosition[] = ['bottom-right', 'bottom-center', 'bottom-left', 'top-right', 'center'];

export interface PlaceOptions {
  /** 1-based page number; default the last page. */
  page?: number;
  position?: SealPosition;
  /** Centre of the seal in points from the page's bottom-left corner (overrides position). */
  x?: number;
  y?: number;
  /** Diameter in points (42 mm, the usual official seal, is about 119 pt). */
  size?: number;
}

export interface SignatureInfo {
  name: string;
  reason: string;
  location: string;
  signingTime: Date;
}

export class PdfInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function seatOf(page: PDFPage, o: PlaceOptions, d: number): { cx: number; cy: number } {
  const { width, height } = page.getSize();
  if (o.x !== undefined || o.y !== undefined) {
    const cx = o.x ?? width / 2;
    const cy = o.y ?? height / 2;
    if (cx < d / 2 || cx > width - d / 2 || cy < d / 2 || cy > height - d / 2) throw new PdfInputError('x', `the seal (diameter ${d} pt) must lie inside the page (${Math.round(width)} × ${Math.round(height)} pt)`);
    return { cx, cy };
  }
  const margin = Math.min(width, height) * 0.08 + d / 2;
  switch (o.position ?? 'bottom-right') {
    case 'bottom-left':
      return { cx: margin, cy: margin };
    case 'bottom-center':
      return { cx: width / 2, cy: margin };
    case 'top-right':
      return { cx: width - margin, cy: height - margin };
    case 'center':
      return { cx: width / 2, cy: height / 2 };
    default:
      return { cx: width - margin, cy: margin };
  }
}

/** Load a PDF for sealing, with errors a caller can name. */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') throw new PdfInputError('file', 'the file is not a PDF');
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (e) {
    throw new PdfInputError('file', `the PDF cannot be read: ${(e as Error).message}`);
  }
}

/**
 * Add the visible seal and an empty signature (placeholders) to the document; returns the saved bytes.
 * The caller then fills the signature with `fillSignature`.
 */
export async function prepareSealedPdf(doc: PDFDocument, sealName: string, place: PlaceOptions, info: SignatureInfo): Promise<Uint8Array> {
  const pages = doc.getPages();
  if (!pages.length) throw new PdfInputError('file', 'the PDF has no pages');
  const pageNo = place.page ?? pages.length;
  if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > pages.length) throw new PdfInputError('page', `page must be between 1 and ${pages.length}`);
  const page = pages[pageNo - 1];
  const d = place.size ?? 119;
  const { cx, cy } = seatOf(page, place, d);
  const text = CjkText.forStyle(doc, 'serif-bold');
  drawSealOnPage(page, text, sealName, { cx, cy, d });
  text.finish();

  const ctx = doc.context;
  const sigDict = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'adbe.pkcs7.detached',
    ByteRange: [0, PDFName.of('DQBR0000000001'), PDFName.of('DQBR0000000002'), PDFName.of('DQBR0000000003')],
    Contents: PDFHexString.of('0'.repeat(CONTENTS_HEX)),
    Name: PDFHexString.fromText(info.name),
    Reason: PDFHexString.fromText(info.reason),
    Location: PDFHexString.fromText(info.location),
    M: PDFString.fromDate(info.signingTime),
  });
  const sigRef = ctx.register(sigDict);
  const form = doc.getForm();
  const existing = form.getFields().length;
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [cx - d / 2, cy - d / 2, cx + d / 2, cy + d / 2],
    V: sigRef,
    T: PDFHexString.fromText(`Seal${existing + 1}`),
    F: 132, // Print + Locked
    P: page.ref,
  });
  const widgetRef = ctx.register(widget);
  page.node.addAnnot(widgetRef);
  form.acroForm.addField(widgetRef);
  form.acroForm.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}

/** Patch the byte range, hash the covered bytes, sign with `sign(digest)`, write the CMS into the hole. */
export async function fillSignature(prepared: Uint8Array, sign: (sha256: Uint8Array) => Promise<Uint8Array>): Promise<Buffer> {
  const pdf = Buffer.from(prepared);
  const text = pdf.toString('latin1');
  const brAt = text.lastIndexOf(BYTE_RANGE_PLACEHOLDER);
  if (brAt < 0) throw new Error('byte range placeholder not found');
  const hole = `<${'0'.repeat(CONTENTS_HEX)}>`;
  const holeAt = text.indexOf(hole, brAt) >= 0 ? text.indexOf(hole, brAt) : text.lastIndexOf(hole);
  if (holeAt < 0) throw new Error('contents placeholder not found');
  const afterHole = holeAt + hole.length;
  const range = [0, holeAt, afterHole, pdf.length - afterHole];
  const written = `/ByteRange [${range.join(' ')}]`;
  if (written.length > BYTE_RANGE_PLACEHOLDER.length) throw new Error('byte range does not fit its placeholder');
  pdf.write(written.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), brAt, 'latin1');
  const digest = createHash('sha256').update(pdf.subarray(0, holeAt)).update(pdf.subarray(afterHole)).digest();
  const cms = await sign(new Uint8Array(digest));
  const hex = Buffer.from(cms).toString('hex');
  if (hex.length > CONTENTS_HEX) throw new Error(`the signature (${hex.length / 2} bytes) does not fit its placeholder`);
  pdf.write(hex, holeAt + 1, 'latin1');
  return pdf;
}

export interface FoundSignature {
  byteRange: [number, number, number, number];
  /** The CMS bytes from /Contents (trailing zero padding removed by the DER reader later). */
  contents: Uint8Array | null;
  /** The concatenated signed bytes (empty when the range is out of bounds). */
  signedBytes: Buffer;
  coversWholeDocument: boolean;
  problem?: string;
}

/** Every signature in the file, found by its /ByteRange, with the bytes it claims to cover. */
export function findSignatures(pdf: Buffer): FoundSignature[] {
  const text = pdf.toString('latin1');
  const out: FoundSignature[] = [];
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (const m of text.matchAll(re)) {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const [a, b, c, d] = br;
    const inBounds = a >= 0 && b >= a && c >= a + b && c + d <= pdf.length;
    if (!inBounds) {
      out.push({ byteRange: br, contents: null, signedBytes: Buffer.alloc(0), coversWholeDocument: false, problem: 'the byte range lies outside the file' });
      continue;
    }
    const gap = text.slice(a + b, c);
    const hex = /^<([0-9a-fA-F\s]*)>$/.exec(gap);
    const coversWholeDocument = a === 0 && c + d === pdf.length;
    const signedBytes = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
    if (!hex) {
      out.push({ byteRange: br, contents: null, signedBytes, coversWholeDocument, problem: 'the byte range does not leave exactly the /Contents value out' });
      continue;
    }
    const digits = hex[1].replace(/\s+/g, '');
    out.push({ byteRange: br, contents: new Uint8Array(Buffer.from(digits.length % 2 ? digits + '0' : digits, 'hex')), signedBytes, coversWholeDocument });
  }
  return out;
}
