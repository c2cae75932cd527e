// A conversion: read every record of every input, map it (per source), map its ids, and spill the lines to
// sorted runs (phase 1); then merge the runs in time order, make each conversation's timestamps strictly
// increasing, drop recalled and duplicate messages, check every line exactly as `validate` does, and write
// (phase 2). Memory holds one run, the user and group ids, and one entry per conversation.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { conversationKey } from '../conversation.js';
import { StringTable } from '../table.js';
import { checkLine, LineChecker, MAX_CONTENT_BYTES } from '../validate.js';
import { isObject, isSignedUrl, type Json } from './bodies.js';
import { mapEasemob } from './easemob.js';
import type { GroupIds, UserIds } from './ids.js';
import type { InputEntry } from './inputs.js';
import { mergeRuns, RunWriter } from './order.js';
import { readRecords } from './records.js';
import { ConvertReport } from './report.js';
import { mapRongcloud } from './rongcloud.js';
import { mapSlack } from './slack.js';
import { slackFiles } from './slack-files.js';
import { mapTencent } from './tencent.js';
import type { Draft, Mapped, RecordContext, SourceName } from './types.js';

const MAPPERS: Record<SourceName, (record: Json, ctx: RecordContext) => Mapped> = {
  easemob: mapEasemob,
  tencent: mapTencent,
  rongcloud: mapRongcloud,
  slack: mapSlack,
};

/** Lines checked by one LineChecker before a fresh one takes over, so its id table stays bounded. */
const CHECKER_LINES = 100_000;

export interface Progress {
  phase: 'reading' | 'writing';
  done: number;
  total: number;
}

export interface PipelineOptions {
  source: SourceName;
  entries: InputEntry[];
  output: string;
  tempDir: string;
  users: UserIds;
  groups: GroupIds;
  report: ConvertReport;
  progress: Progress;
}

/** Writing a run failed (a full disk): that stops the conversion, unlike a file that cannot be read. */
class SpillError extends Error {
  constructor(cause: unknown) {
    super('cannot write a temporary run', { cause });
  }
}

/** Phase 1. Returns the runs and the source ids of recalled messages. */
export async function readInputs(o: PipelineOptions): Promise<{ runs: RunWriter; recalls: Set<string> }> {
  const runs = new RunWriter(o.tempDir);
  const recalls = new Set<string>();
  const { files, contexts } = o.source === 'slack' ? await slackFiles(o.entries) : { files: o.entries, contexts: new Map<InputEntry, RecordContext['conversation']>() };
  o.progress.total = files.reduce((n, e) => n + e.size, 0);
  const map = MAPPERS[o.source];

  for (const [index, entry] of files.entries()) {
    let ordinal = 0;
    let lastLine = 0;
    try {
      const stream = await entry.open((n) => (o.progress.done += n));
      for await (const batch of readRecords(stream)) {
        for (const rec of batch) {
          o.report.records++;
          ordinal++;
          lastLine = rec.line;
          if (rec.error !== undefined) {
            o.report.skip('bad record: unreadable', entry.name, rec.line, rec.error);
            continue;
          }
          if (!isObject(rec.value)) {
            o.report.skip('bad record: not a JSON object', entry.name, rec.line);
            continue;
          }
          let mapped: Mapped;
          try {
            mapped = map(rec.value, { prefix: rec.prefix, conversation: contexts.get(entry) });
          } catch (e) {
            o.report.skip('bad record: could not be converted', entry.name, rec.line, (e as Error).message);
            continue;
          }
          if (mapped.recall) recalls.add(mapped.recall);
          if (mapped.skip) o.report.skip(mapped.skip, entry.name, rec.line);
          o.report.lose(mapped.lossy);
          o.report.note(mapped.notes);
          if (mapped.drafts.length) for (const kind of mapped.attachments ?? []) o.report.attachment(kind, mapped.drafts[0].source_id);
          mapped.drafts.forEach((draft, part) => {
            const out = line(draft, o, entry.name, rec.line);
            if (out === undefined) return;
            const url = [draft.body.url, draft.body.thumb].find((u) => typeof u === 'string' && isSignedUrl(u));
            if (url) o.report.attachment('signed_url', draft.source_id);
            runs.add({ ts: draft.ts, seq: draft.seq ?? 0, file: index, record: ordinal, part, line: rec.line, conversation: out.conversation, id: draft.source_id, json: out.json });
          });
        }
        if (runs.full) await runs.flush().catch((e) => Promise.reject(new SpillError(e)));
      }
    } catch (e) {
      if (e instanceof SpillError) throw e.cause;
      // A file that cannot be read to its end (a cut-off download): what was read is kept, the rest reported.
      o.report.skip('bad record: the file cannot be read further', entry.name, lastLine + 1, (e as Error).message);
    }
  }
  await runs.flush();
  return { runs, recalls };
}

/** The output line of a draft (without msg_timestamp) as JSON and its conversation, or undefined when it is left out. */
function line(d: Draft, o: PipelineOptions, file: string, at: number): { json: string; conversation: string } | undefined {
  let target: string | undefined;
  if (d.chat_type === 'group') {
    target = o.groups.get(d.target, d.targetAlias);
    if (target === undefined) {
      o.report.skip('group without a --group-map entry', file, at);
      return undefined;
    }
  } else target = o.users.map(d.target);
  const from = o.users.map(d.from);
  const out: Json = { chat_type: d.chat_type, source_id: d.source_id, from, target, type: d.type, body: d.body };
  if (d.ext) out.ext = d.ext;
  const bytes = Buffer.byteLength(JSON.stringify(d.body)) + (d.ext ? Buffer.byteLength(JSON.stringify(d.ext)) : 0);
  if (bytes > MAX_CONTENT_BYTES) {
    o.report.skip('over 5 KB (body and ext)', file, at);
    return undefined;
  }
  return { json: JSON.stringify(out), conversation: conversationKey(d.chat_type, from, target) };
}

/** Phase 2: writes the output file from the runs. */
export async function writeOutput(o: PipelineOptions, runs: RunWriter, recalls: Set<string>, inputNames: string[]) {
  o.progress.phase = 'writing';
  o.progress.done = 0;
  o.progress.total = runs.lines;
  const out = createWriteStream(o.output);
  const last = new StringTable(1);
  let checker = new LineChecker();
  let checked = 0;
  let sameTs = Number.NaN;
  const seen = new Set<string>();
  let chunk = '';

  for await (const batch of mergeRuns(runs.runs, o.tempDir)) {
    for (const k of batch) {
      o.progress.done++;
      if (recalls.size && recalls.has(k.id.replace(/#\d+$/, ''))) {
        o.report.recalled++;
        continue;
      }
      // The same message twice (overlapping or repeated files) has the same timestamp: only that group is remembered.
      if (k.ts !== sameTs) {
        sameTs = k.ts;
        seen.clear();
      }
      if (seen.has(k.id)) {
        o.report.duplicates++;
        continue;
      }
      seen.add(k.id);

      const prev = last.get(k.conversation);
      const ts = prev !== undefined && k.ts <= prev ? prev + 1 : k.ts;
      // k.json is JSON.stringify of the line without its timestamp: appending it gives the line as written.
      const text = `${k.json.slice(0, -1)},"msg_timestamp":${ts}}`;
      if (checked++ === CHECKER_LINES) {
        checker = new LineChecker();
        checked = 0;
      }
      // Exactly what `validate` does with a line of the file.
      const v = checkLine(checker, { line: o.progress.done, text });
      if (!v.ok) {
        const p = v.problems[0];
        o.report.skip(`rejected by validate (${p.field || 'line'})`, inputNames[k.file], k.line, `${p.field} ${p.message}`.trim());
        continue;
      }
      if (ts !== k.ts) o.report.timestampsRaised++;
      last.set(k.conversation, ts);
      o.report.wrote(v.chatType, v.message.type, ts);
      chunk += `${text}\n`;
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
