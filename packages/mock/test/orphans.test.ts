// No Prism outlives the process that started it, however that process ends: Prism's stdin is
// a pipe from the parent, and the watchdog preloaded into Prism exits when it closes.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRunning, node, nothingListensOn, waitUntil } from './support/process.js';

const parent = fileURLToPath(new URL('./fixtures/parent.mjs', import.meta.url));
const tiny = fileURLToPath(new URL('./fixtures/tiny.yaml', import.meta.url));

const endings: [string, (pid: number) => void, string?][] = [
  ['SIGKILL (no chance to clean up)', (pid) => process.kill(pid, 'SIGKILL')],
  ['SIGTERM', (pid) => process.kill(pid, 'SIGTERM')],
  ['SIGINT (Ctrl-C)', (pid) => process.kill(pid, 'SIGINT')],
  ['an uncaught exception', () => {}, 'crash'],
];

describe('when the parent process ends', () => {
  it.each(endings)('by %s, its Prism exits and the port is freed', async (_name, end, mode) => {
    const run = node([parent, tiny, ...(mode ? [mode] : [])]);
    const [, json] = await run.line(/^(\{.*\})$/);
    const { pid, port } = JSON.parse(json) as { pid: number; port: number };
    expect(isRunning(pid)).toBe(true);
    expect(await nothingListensOn(port)).toBe(false);

    end(run.child.pid!);
    await run.exit;
    // The thread-group leader can show as exited a moment before its last thread lets go
    // of the socket, so wait for both.
    await waitUntil(async () => !isRunning(pid) && (await nothingListensOn(port)), 10_000, `Prism (pid ${pid}) has exited and port ${port} is free`);
  });
});
