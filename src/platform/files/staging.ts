// Uploads are streamed to a file under DATA_DIR before a durable job processes them: the request never
// holds the whole file in memory, and a job that restarts reads the same bytes again.
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Streams `source` into `fullPath` and returns the byte count; on failure the partial file is removed. */
export async function stageUpload(source: Readable, fullPath: string): Promise<number> {
  let bytes = 0;
  try {
    await pipeline(
      source,
      new Transform({
        transform(chunk: Buffer, _e, cb) {
          bytes += chunk.length;
          cb(null, chunk);
        },
      }),
      fs.createWriteStream(fullPath),
    );
  } catch (err) {
    fs.rmSync(fullPath, { force: true });
    throw err;
  }
  return bytes;
}
