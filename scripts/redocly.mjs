// Runs the Redocly CLI with the given arguments, minus one message: on Node 20 every run opens with a boxed
// "Node.js 20 support is ending" banner (Redocly CLI 2.77.0, the latest, supports Node 20.19+; later releases
// will need 22.12). The repository supports Node 20, so the banner says nothing to act on; everything else
// Redocly prints passes through, and its exit code is this script's.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const BANNER = 'Node.js 20 support is ending';

const child = spawn('redocly', process.argv.slice(2), { stdio: ['inherit', 'inherit', 'pipe'] });
let box = null; // the lines of a box being read, until it closes
let blank = false; // a blank line held back: the banner is framed by blank lines
let skipBlank = false;
createInterface({ input: child.stderr }).on('line', (line) => {
  if (box) {
    box.push(line);
    if (line.includes('╚')) {
      const banner = box.join('\n').includes(BANNER);
      if (!banner) process.stderr.write(`${box.join('\n')}\n`);
      box = null;
      skipBlank = banner;
    }
    return;
  }
  if (line.includes('╔')) {
    blank = false;
    box = [line];
    return;
  }
  if (blank) process.stderr.write('\n');
  blank = line.trim() === '' && !skipBlank;
  skipBlank = false;
  if (line.trim() === '') return;
  process.stderr.write(`${line}\n`);
});
child.on('error', (e) => {
  console.error(`redocly: ${e.message}`);
  process.exitCode = 1;
});
child.on('close', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
