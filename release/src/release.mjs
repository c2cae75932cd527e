// `pnpm release`: build, run every check, publish what changesets versioned, then make the published
// bundle the baseline that the breaking-change gate compares against.
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url).pathname;
const sh = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

sh('pnpm', ['test']);
sh('pnpm', ['exec', 'changeset', 'publish']);
copyFileSync(`${root}spec/dist/openapi.json`, `${root}release/baseline/openapi.json`);
console.log('Published. Commit release/baseline/openapi.json and the tags: git add -A && git commit -m "release" && git push --follow-tags');
