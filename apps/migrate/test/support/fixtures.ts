// Input files for tests: every message type, both chat types, many conversations, strictly increasing
// timestamps within each conversation (interleaved across conversations, as real exports are).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BODIES: Record<string, Record<string, unknown>> = {
  txt: { msg: 'hello' },
  img: { url: 'https://cdn.example.com/a.jpg', filename: 'a.jpg', size: { width: 640, height: 480 } },
  audio: { url: 'https://cdn.example.com/a.amr', filename: 'a.amr', length: 3 },
  video: { url: 'https://cdn.example.com/a.mp4', thumb: 'https://cdn.example.com/a.jpg', length: 12, file_length: 34816 },
  file: { url: 'https://cdn.example.com/a.pdf', filename: 'a.pdf' },
  loc: { lat: '39.966', lng: '116.322', addr: 'Haidian, Beijing' },
  cmd: { action: 'refresh' },
  custom: { customEvent: 'gift_sent', customExts: { gift: 'rose' } },
};
export const TYPES = Object.keys(BODIES);

export interface Line {
  chat_type: 'single' | 'group';
  source_id: string;
  from: string;
  target: string;
  type: string;
  body: Record<string, unknown>;
  msg_timestamp: number;
  ext?: Record<string, unknown>;
}

const turn = (i: number, conversations: number) => Math.floor(i / conversations) % 2 === 1;

/** `n` lines over `conversations` conversations (a third of them groups). */
export function makeLines(n: number, conversations: number, start = 1_600_000_000_000): Line[] {
  const lines: Line[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % conversations;
    const group = c % 3 === 2;
    const type = TYPES[i % TYPES.length];
    lines.push({
      chat_type: group ? 'group' : 'single',
      source_id: `m${i + 1}`,
      // a->b and b->a alternate within one single-chat conversation
      from: group ? `user${i % 5}` : turn(i, conversations) ? `a${c}` : `b${c}`,
      target: group ? String(1_000_000_000 + c) : turn(i, conversations) ? `b${c}` : `a${c}`,
      type,
      body: BODIES[type],
      msg_timestamp: start + i * 1000,
    });
  }
  return lines;
}

export function tempDir(prefix = 'easemob-import-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeLines(dir: string, name: string, lines: Array<object | string>): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}
