// What every benchmark shares: the machine it ran on (printed first, kept in --json output), a streamed
// CSV writer for generated input files, and the request/answer exchange with an application child process.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import { csvField } from '../src/platform/files';

export interface Machine {
  cpu: string;
  cpus: number;
  memoryGiB: number;
  node: string;
  load: number[];
}

/** The machine and its load at the start; logged so a figure is never read without them. */
export function describeMachine(log: (s: string) => void): Machine {
  const m: Machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    load: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  log(`machine: ${m.cpu}, ${m.cpus} CPUs, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.load.join(' ')}`);
  return m;
}

/** Writes a header and rows as CSV to `file`, in 1 MiB chunks, honouring back-pressure. */
export async function writeCsvFile(file: string, header: string[], rows: Iterable<unknown[]>): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(header.join(',') + '\n');
  let buf = '';
  for (const row of rows) {
    buf += row.map(csvField).join(',') + '\n';
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  out.end();
  await once(out, 'finish');
}

/** A message between a benchmark and the application it runs in a child process. */
export type Msg = Record<string, unknown> & { type: string };

/** Sends `m` to the child and waits for its message of type `answer` (an `error` message rejects). */
export function ask(child: ChildProcess, m: Msg, answer: string): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const on = (r: Msg) => {
      if (r.type === 'error') {
        child.off('message', on);
        reject(new Error(String(r.message)));
      } else if (r.type === answer) {
        child.off('message', on);
        resolve(r);
      }
    };
    child.on('message', on);
    child.send(m);
  });
}

/**
 * One figure's line in the form `npm run bench` collects: `ratio <name>: <value> (against <baseline>)`,
 * where value is the platform's rate over the baseline's rate in the same run (1 = as fast as the bare
 * stack doing the same work; smaller is slower). Every benchmark prints at least one.
 */
export function ratioLine(name: string, value: number, against: string): string {
  return `ratio ${name}: ${Number.isFinite(value) ? value.toFixed(3) : String(value)} (against ${against})`;
}
