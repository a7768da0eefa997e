// zlib (RFC 1950) through the platform's Compression Streams, with a bound on the inflated size so a
// small hostile payload cannot expand into memory exhaustion.
import { DecodeError } from './errors';
import { concatBytes } from './bytes';

/** Inflated output above this is refused (an EU DCC is a few kilobytes; a status list of 8 bits for
 *  a million entries is 1 MB). */
export const DEFAULT_MAX_INFLATED = 16 * 1024 * 1024;

export async function zlibInflate(data: Uint8Array, maxOutput = DEFAULT_MAX_INFLATED): Promise<Uint8Array> {
  const ds = new DecompressionStream('deflate');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  // Errors surface on both ends; the read side reports them, the write side's are swallowed here.
  const written = writer
    .write(data.slice())
    .then(() => writer.close())
    .catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxOutput) {
        await reader.cancel().catch(() => undefined);
        throw new DecodeError('bad-zlib', `zlib: inflated data exceeds ${maxOutput} bytes`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError('bad-zlib', `zlib: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await written;
  }
  return concatBytes(...chunks);
}

export async function zlibDeflate(data: Uint8Array): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate');
  const writer = cs.writable.getWriter();
  const done = writer.write(data.slice()).then(() => writer.close());
  const chunks: Uint8Array[] = [];
  const reader = cs.readable.getReader();
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    chunks.push(value);
  }
  await done;
  return concatBytes(...chunks);
}
