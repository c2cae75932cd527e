// Runs `convert` in-process on a fixture and reads back what it wrote.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain, type Result } from '../support/cli.js';
import { tempDir } from '../support/fixtures.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/convert/', import.meta.url));
export const fixture = (...parts: string[]) => join(FIXTURES, ...parts);

export interface Converted extends Result {
  dir: string;
  out: string;
  lines: Array<Record<string, any>>;
  report: Record<string, any>;
}

export async function convert(args: string[], dir = tempDir('easemob-import-convert-')): Promise<Converted> {
  const out = join(dir, 'out.jsonl');
  const r = await runMain(['convert', ...args, '-o', out]);
  const lines = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const reportFile = join(dir, 'convert-report.json');
  const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : {};
  return { ...r, dir, out, lines, report };
}

/** `validate` on a file, through the CLI: exit code and summary. */
export async function validate(file: string) {
  const r = await runMain(['validate', '--json', file]);
  return { code: r.code, summary: JSON.parse(r.stdout) };
}

export const bySource = (lines: Array<Record<string, any>>) => Object.fromEntries(lines.map((l) => [l.source_id, l]));
