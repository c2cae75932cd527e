import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) STATE ..."; Z means it has exited.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True when nothing accepts connections on 127.0.0.1:port. */
export function nothingListensOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Spawns node with args (killed when the test ends) and collects its output; `line` waits for a matching stdout line. */
export function node(args: string[], env: Record<string, string | undefined> = {}) {
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  // A test that fails half-way must not leave its process running (its Prism follows it).
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (l) => (stdout += l + '\n'));
  child.stderr!.on('data', (d) => (stderr += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exit,
    output: () => ({ stdout, stderr }),
    line(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
      return new Promise((resolve, reject) => {
        const found = pattern.exec(stdout);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs);
        const onLine = (l: string) => {
          const m = pattern.exec(l);
          if (m) (clearTimeout(timer), lines.off('line', onLine), resolve(m));
        };
        lines.on('line', onLine);
        void exit.then(() => (clearTimeout(timer), reject(new Error(`exited before a line matching ${pattern}:\n${stdout}\n${stderr}`))));
      });
    },
  };
}
