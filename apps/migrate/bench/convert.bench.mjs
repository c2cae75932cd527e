// Benchmark of `convert` (built CLI, dist/cli.js) on a generated Easemob export of hourly gzip files, measured in
// this run against two baselines:
//   1. speed: records per second vs a bare loop that only gunzips, parses and re-serialises every record
//   2. memory: peak RSS converting FILES files vs converting 2 of them (bar: at most 1.25x: memory does not grow
//      with the size of the export)
// Env: BENCH_CONVERT_FILES (default 8), BENCH_CONVERT_RECORDS (per file, default 100000).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const CLI = here('../dist/cli.js');
const FILES = Number(process.env.BENCH_CONVERT_FILES ?? 8);
const PER_FILE = Number(process.env.BENCH_CONVERT_RECORDS ?? 100_000);
const work = mkdtempSync(join(tmpdir(), 'easemob-import-convert-bench-'));

async function generate(dir, files) {
  mkdirSync(dir, { recursive: true });
  let id = 0;
  for (let f = 0; f < files; f++) {
    const gz = createGzip({ level: 1 });
    const out = createWriteStream(join(dir, String(2022070400 + f)));
    gz.pipe(out);
    let chunk = '';
    for (let i = 0; i < PER_FILE; i++) {
      id++;
      const group = id % 4 === 0;
      const body = id % 10 === 0 ? { type: 'img', url: `https://a1.easemob.com/o/a/chatfiles/${id}`, filename: 'a.jpg', size: { width: 640, height: 480 } } : { type: 'txt', msg: `message ${id} with some text in it` };
      const rec = { msg_id: String(1047089140453738556n + BigInt(id)), timestamp: 1656892800000 + f * 3_600_000 + Math.floor((i * 3_600_000) / PER_FILE), direction: 'outgoing', chat_type: group ? 'groupchat' : 'chat', payload: { bodies: [body], ext: id % 3 ? {} : { k: 'v' }, from: `user${id % 5000}`, to: group ? String(1_000_000 + (id % 200)) : `user${(id * 7) % 5000}` } };
      chunk += `${JSON.stringify(rec)}\n`;
      if (chunk.length > 1 << 20) {
        if (!gz.write(chunk)) await once(gz, 'drain');
        chunk = '';
      }
    }
    gz.end(chunk);
    await once(out, 'finish');
  }
}

async function bareLoop(dir) {
  const started = performance.now();
  let n = 0;
  for (const name of readdirSync(dir).sort()) {
    for await (const l of createInterface({ input: createReadStream(join(dir, name)).pipe(createGunzip()), crlfDelay: Infinity })) {
      if (l) JSON.stringify(JSON.parse(l));
      n++;
    }
  }
  return n / ((performance.now() - started) / 1000);
}

async function convert(dir, out) {
  const rss = join(work, 'maxrss');
  const started = performance.now();
  const child = spawn(process.execPath, ['-r', here('./maxrss.cjs'), CLI, 'convert', '--from', 'easemob', dir, '-o', out, '--group-map', join(work, 'groups.json'), '--json'], { env: { ...process.env, MAXRSS_FILE: rss }, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`convert exited ${code}`);
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(stdout);
  return { lines: report.lines_written, perSecond: report.records / seconds, rssMb: Number(readFileSync(rss, 'utf8')) / 1024 };
}

try {
  writeFileSync(join(work, 'groups.json'), JSON.stringify(Object.fromEntries(Array.from({ length: 200 }, (_, g) => [String(1_000_000 + g), String(2_000_000 + g)]))));
  await generate(join(work, 'small'), 2);
  await generate(join(work, 'large'), FILES);
  const bare = await bareLoop(join(work, 'large'));
  const small = await convert(join(work, 'small'), join(work, 'small.jsonl'));
  const large = await convert(join(work, 'large'), join(work, 'large.jsonl'));
  if (large.lines !== FILES * PER_FILE) throw new Error(`expected ${FILES * PER_FILE} lines, got ${large.lines}`);
  console.log(`convert, ${FILES} hourly .gz files of ${PER_FILE} records (${FILES * PER_FILE} records):`);
  console.log(`  speed:  ${Math.round(large.perSecond)} records/s vs bare gunzip+parse loop ${Math.round(bare)}/s: ratio ${(large.perSecond / bare).toFixed(2)}`);
  console.log(`  memory: peak RSS ${large.rssMb.toFixed(0)} MB for ${FILES} files vs ${small.rssMb.toFixed(0)} MB for 2: ratio ${(large.rssMb / small.rssMb).toFixed(2)} (bar: <= 1.25)`);
  process.exitCode = large.rssMb / small.rssMb <= 1.25 ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
