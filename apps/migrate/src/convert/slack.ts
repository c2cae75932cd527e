// Slack export (a zip, or its unpacked folder): users.json, channels.json, groups.json, dms.json, mpims.json and
// one folder per conversation of daily JSON arrays of messages. Direct messages (dms.json) are one-to-one; channels,
// private channels and group DMs are groups. `ts` is seconds with microseconds, and each conversation's own id.
import { compact, count, isObject, str, type Json } from './bodies.js';
import { skip, type Draft, type Mapped, type RecordContext } from './types.js';

/** Subtypes that are messages people wrote; every other one (join, leave, topic, purpose, ...) is skipped. */
const MESSAGE_SUBTYPES = new Set([undefined, 'bot_message', 'me_message', 'file_share', 'thread_broadcast', 'reply_broadcast']);

export function mapSlack(message: Json, ctx: RecordContext): Mapped {
  const conversation = ctx.conversation;
  if (!conversation) return skip('conversation not listed in channels, groups, dms or mpims.json');
  if (message.type !== 'message') return skip(`not a message (type ${JSON.stringify(message.type)})`);
  const subtype = str(message.subtype);
  if (!MESSAGE_SUBTYPES.has(subtype)) return skip(`Slack ${subtype} (not a message)`);
  const time = slackTs(message.ts);
  if (!time) return skip('bad record: ts is not seconds.microseconds');
  // Bot messages have no user: the bot is the sender.
  const from = str(message.user) ?? str(message.bot_id);
  if (!from) return skip('no sender (neither user nor bot_id)');

  let target = conversation.id;
  if (conversation.kind === 'single') {
    const other = (conversation.members ?? []).find((m) => m !== from);
    if (!other) return skip('direct message without a second member in dms.json');
    target = other;
  }
  const lossy: string[] = [];
  const parts: Array<{ type: string; body: Json }> = [];
  if (typeof message.text === 'string' && message.text.trim() !== '') parts.push({ type: 'txt', body: { msg: message.text } });
  const files = Array.isArray(message.files) ? message.files.filter(isObject) : [];
  for (const f of files) {
    const url = str(f.url_private);
    if (!url) lossy.push('file without a URL (deleted or hidden by the plan)');
    else parts.push(file(f, url));
  }
  if (parts.length === 0) return skip(files.length ? 'only files without a URL' : 'empty message');

  const base = `slack:${conversation.id}:${message.ts}`;
  const drafts: Draft[] = parts.map((p, i) => ({
    chat_type: conversation.kind,
    source_id: i === 0 ? base : `${base}#${i + 1}`,
    from,
    target,
    ...(conversation.kind === 'group' && conversation.name ? { targetAlias: conversation.name } : {}),
    type: p.type,
    body: p.body,
    ts: time.ms,
    seq: time.micros,
  }));
  return { drafts, lossy, attachments: files.filter((f) => str(f.url_private)).map(() => 'auth_required' as const) };
}

function file(f: Json, url: string): { type: string; body: Json } {
  const mime = str(f.mimetype) ?? '';
  const filename = str(f.name) ?? str(f.title);
  const w = count(f.original_w);
  const h = count(f.original_h);
  const file_length = count(f.size);
  if (mime.startsWith('image/')) return { type: 'img', body: compact({ url, filename, size: w !== undefined && h !== undefined ? { width: w, height: h } : undefined, file_length }) };
  if (mime.startsWith('video/')) return { type: 'video', body: compact({ url, filename, thumb: str(f.thumb_video), file_length }) };
  if (mime.startsWith('audio/')) return { type: 'audio', body: compact({ url, filename, file_length }) };
  return { type: 'file', body: compact({ url, filename, file_length }) };
}

/** `"1512085950.000216"` → milliseconds, and the microseconds within the millisecond to order ties. */
export function slackTs(ts: unknown): { ms: number; micros: number } | undefined {
  const m = typeof ts === 'string' && /^(\d+)\.(\d{1,6})$/.exec(ts);
  if (!m) return undefined;
  const micro = Number(m[2].padEnd(6, '0'));
  return { ms: Number(m[1]) * 1000 + Math.floor(micro / 1000), micros: micro % 1000 };
}

/** The conversations of an export, by folder name, from its metadata files (each an array, or absent). */
export function slackConversations(meta: { channels?: unknown; groups?: unknown; dms?: unknown; mpims?: unknown }): Map<string, NonNullable<RecordContext['conversation']>> {
  const byFolder = new Map<string, NonNullable<RecordContext['conversation']>>();
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObject) : []);
  for (const c of [...list(meta.channels), ...list(meta.groups), ...list(meta.mpims)]) {
    const id = str(c.id);
    if (id) byFolder.set(str(c.name) ?? id, { id, name: str(c.name), kind: 'group' });
  }
  // A DM's folder is named by its id.
  for (const d of list(meta.dms)) {
    const id = str(d.id);
    const members = Array.isArray(d.members) ? d.members.map(str).filter((m): m is string => !!m) : [];
    if (id) byFolder.set(id, { id, kind: 'single', members });
  }
  return byFolder;
}
