// The files of an export, whatever the user points at: files, folders (walked, in name order), `.gz` files
// (decompressed while read, recognised by their first bytes too) and zip archives (Slack's export, RongCloud's
// hourly logs), whose entries are read one at a time without unpacking the archive.
import { closeSync, createReadStream, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { UsageError } from '../errors.js';

export interface InputEntry {
  /** How the entry is named in `file:line` messages: a path, or `archive.zip:inner/path`. */
  name: string;
  /** Path inside the folder or archive it came from, `/`-separated (the file name for a plain file). */
  path: string;
  /** Bytes read from disk for it, for the progress display. */
  size: number;
  /** The entry's text as a stream (decompressed); `onBytes` hears of the bytes read from disk. */
  open(onBytes: (n: number) => void): Promise<Readable>;
}

export interface Inputs {
  entries: InputEntry[];
  close(): void;
}

const hidden = (name: string) => name.startsWith('.') || name === '__MACOSX';

function magic(file: string): 'gzip' | 'zip' | 'other' {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    if (n >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (n >= 4 && b.readUInt32LE(0) === 0x04034b50) return 'zip';
    return 'other';
  } finally {
    closeSync(fd);
  }
}

function counted(stream: Readable, onBytes: (n: number) => void, gzip: boolean): Readable {
  stream.on('data', (chunk: Buffer) => onBytes(chunk.length));
  if (!gzip) return stream;
  const gunzip = createGunzip();
  stream.on('error', (e) => gunzip.destroy(e));
  return stream.pipe(gunzip);
}

function diskFile(file: string, path: string): InputEntry {
  const gzip = magic(file) === 'gzip';
  return { name: file, path, size: statSync(file).size, open: async (onBytes) => counted(createReadStream(file, { highWaterMark: 256 * 1024 }), onBytes, gzip) };
}

function walk(dir: string, out: string[]) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (hidden(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

async function zipEntries(file: string, zips: yauzl.ZipFile[]): Promise<InputEntry[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (e) {
    throw new UsageError(`cannot read ${file} as a zip archive (${(e as Error).message})`);
  }
  zips.push(zip);
  const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
    const list: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      list.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(list));
    zip.on('error', reject);
    zip.readEntry();
  });
  return entries
    .filter((e) => !e.fileName.endsWith('/') && !e.fileName.split('/').some(hidden))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0))
    .map((e) => ({
      name: `${file}:${e.fileName}`,
      path: e.fileName,
      size: e.compressedSize,
      open: async (onBytes) => {
        // Count the entry's uncompressed bytes against its compressed size, so the progress stays in step.
        const ratio = e.uncompressedSize ? e.compressedSize / e.uncompressedSize : 1;
        const stream = await zip.openReadStreamPromise(e);
        return counted(stream, (n) => onBytes(n * ratio), e.fileName.endsWith('.gz'));
      },
    }));
}

/** Every input argument's files, in argument order, each folder and archive in name order. */
export async function discoverInputs(args: string[]): Promise<Inputs> {
  const zips: yauzl.ZipFile[] = [];
  const entries: InputEntry[] = [];
  for (const arg of args) {
    if (!existsSync(arg)) throw new UsageError(`cannot read ${arg}: no such file or folder`);
    if (statSync(arg).isDirectory()) {
      const files: string[] = [];
      walk(arg, files);
      for (const f of files) {
        const path = relative(arg, f).split(sep).join('/');
        entries.push(...(magic(f) === 'zip' ? await zipEntries(f, zips) : [diskFile(f, path)]));
      }
    } else if (magic(arg) === 'zip') {
      entries.push(...(await zipEntries(arg, zips)));
    } else {
      entries.push(diskFile(arg, arg.split(sep).pop() ?? arg));
    }
  }
  return { entries, close: () => zips.forEach((z) => z.close()) };
}
