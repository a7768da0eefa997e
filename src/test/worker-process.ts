// A TypeScript script run as a child process that reports progress as JSON lines on stdout: what the
// crash tests use to kill a worker mid-way and then let a second one take over.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  /** Every JSON line the worker printed so far, in order. */
  events: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `script` under tsx with `env` added; the caller keeps `children` to kill leftovers after the test. */
export function startWorkerProcess(script: string, env: Record<string, string>, children: ChildProcessWithoutNullStreams[]): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), env: { ...process.env, ...env } });
  children.push(child);
  const events: Record<string, unknown>[] = [];
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.startsWith('{')) events.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, events, stderr: () => err, exited };
}
