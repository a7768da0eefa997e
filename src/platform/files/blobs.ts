// Durable blobs: read an upload stream with a byte limit (413 beyond it), hash it, and store it in the
// caller's transaction so the blob and the record that points at it commit together.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { AppError } from '../http/problem';
import { fileBlobs } from './blobs.schema';

export interface BlobInfo {
  id: string;
  sha256: string;
  size: number;
  contentType: string;
  fileName: string;
}

/** Read a stream into memory, refusing (413) as soon as it passes `max` bytes. */
export async function readLimited(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    seen += b.length;
    if (seen > max) {
      stream.destroy();
      throw new AppError(413, 'payload-too-large', 'Payload too large', `the file is larger than ${max} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function putBlob(tx: DbOrTx, input: { bytes: Buffer; contentType: string; fileName: string; createdBy: string | null }): Promise<BlobInfo> {
  const sha256 = sha256Of(input.bytes);
  const [r] = await tx
    .insert(fileBlobs)
    .values({ sha256, size: input.bytes.length, contentType: input.contentType, fileName: input.fileName, bytes: input.bytes, createdBy: input.createdBy })
    .returning({ id: fileBlobs.id });
  return { id: r.id, sha256, size: input.bytes.length, contentType: input.contentType, fileName: input.fileName };
}

/** The blob with its bytes, verified against the stored hash (a mismatch is an integrity failure, not a 4xx). */
export async function getBlob(db: DbOrTx, id: string): Promise<(BlobInfo & { bytes: Buffer }) | null> {
  const [r] = await db.select().from(fileBlobs).where(eq(fileBlobs.id, id));
  if (!r) return null;
  if (sha256Of(r.bytes) !== r.sha256) throw new Error(`blob ${id} failed its integrity check`);
  return { id: r.id, sha256: r.sha256, size: r.size, contentType: r.contentType, fileName: r.fileName, bytes: r.bytes };
}

export async function deleteBlob(tx: DbOrTx, id: string): Promise<void> {
  await tx.delete(fileBlobs).where(eq(fileBlobs.id, id));
}

/** Recognise the file type from its first bytes, so the declared name cannot smuggle another type in. */
export function sniffType(bytes: Buffer): 'pdf' | 'jpg' | 'png' | 'ofd' | 'docx' | 'doc' | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'doc';
  // OFD and DOCX are both ZIP containers; the caller's declared extension picks between them.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'docx';
  return null;
}
