import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The Node majors the published packages support and are tested on (see the root README). */
export const nodeMajors = [20, 22, 24];

/** This environment without vitest's variables and pnpm's npm_config_* settings (npm warns about each it does not know). */
export function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !/^npm_config_/i.test(k)));
}

const cacheFile = join(import.meta.dirname, '..', 'node_modules', '.cache', 'node-binaries.json');

/**
 * Path of a Node binary of the given major: this process's own, else the `node@<major>` package from the npm
 * registry through npx. Paths are remembered in node_modules/.cache so later runs skip npx.
 */
export function nodeBinary(major: number): string {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const cache: Record<string, string> = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
  if (cache[major] && existsSync(cache[major])) return cache[major];
  const path = execFileSync('npx', ['-y', `node@${major}`, '-p', 'process.execPath'], { encoding: 'utf8', env: npmEnv() }).trim();
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, JSON.stringify({ ...cache, [major]: path }));
  return path;
}
