// Every ```ts block of the README compiles against the built package, imported by its published name.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('the README examples type-check', () => {
  const blocks = [...readFileSync(`${root}README.md`, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  const dir = `${root}test-artifacts/readme`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  blocks.forEach((code, i) => writeFileSync(`${dir}/example-${i + 1}.ts`, `${code}\nexport {};\n`));
  writeFileSync(
    `${dir}/tsconfig.json`,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: ['node'],
        typeRoots: [`${root}node_modules/@types`], strict: true, noEmit: true, skipLibCheck: true,
      },
      include: ['*.ts'],
    }),
  );
  const r = spawnSync(`${root}node_modules/.bin/tsc`, ['-p', dir], { encoding: 'utf8' });
  expect(r.status, r.stdout + r.stderr).toBe(0);
}, 60_000);
