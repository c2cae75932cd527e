// Easemob / Agora Chat history export (`GET /{org}/{app}/chatmessages/{yyyyMMddHH}`, one gzip file per hour):
// one record per message, `payload` holding the message as it was sent. Field list: easemob-doc,
// server-side/message_historical.md.
import { compact, count, customBody, isObject, str, type Json } from './bodies.js';
import { skip, type AttachmentIssue, type Draft, type Mapped } from './types.js';

const CHAT_TYPES: Record<string, 'single' | 'group'> = { chat: 'single', groupchat: 'group' };

export function mapEasemob(record: Json): Mapped {
  const id = str(record.msg_id);
  const ts = record.timestamp;
  const payload = record.payload;
  if (!id) return skip('bad record: no msg_id');
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) return skip('bad record: timestamp is not milliseconds');
  if (!isObject(payload)) return skip('bad record: no payload');
  if (record.chat_type === 'chatroom') return skip('chat room (no import endpoint)');
  const chatType = CHAT_TYPES[String(record.chat_type)];
  if (!chatType) return skip(`unknown chat_type ${JSON.stringify(record.chat_type)}`);
  const from = str(payload.from);
  const to = str(payload.to);
  if (!from || !to) return skip('bad record: payload.from or payload.to missing');
  const bodies = Array.isArray(payload.bodies) ? payload.bodies : [];
  if (!isObject(bodies[0])) return skip('bad record: no payload.bodies');

  const mapped = body(bodies[0]);
  if ('skip' in mapped) return skip(mapped.skip);
  const lossy = [...mapped.lossy];
  if (bodies.length > 1) lossy.push('more than one body (the first is kept)');
  const draft: Draft = { chat_type: chatType, source_id: `easemob:${id}`, from, target: to, type: mapped.type, body: mapped.body, ts };
  if (isObject(payload.ext) && Object.keys(payload.ext).length > 0) draft.ext = payload.ext;
  return {
    drafts: [draft],
    lossy,
    notes: from === 'admin' ? ['sent by admin (REST, no sender)'] : [],
    attachments: mapped.attachments,
  };
}

type BodyResult = { type: string; body: Json; lossy: string[]; attachments: AttachmentIssue[] } | { skip: string };

function body(b: Json): BodyResult {
  const secrets: AttachmentIssue[] = b.secret || b.thumb_secret ? ['share_secret'] : [];
  // Every attachment body of the export carries `file_length`, which the import takes too (spec: FileLength).
  const file = () => ({ url: str(b.url), filename: str(b.filename), secret: str(b.secret), file_length: count(b.file_length) });
  const size = isObject(b.size) && typeof b.size.width === 'number' && typeof b.size.height === 'number' ? { width: b.size.width, height: b.size.height } : undefined;
  const ok = (type: string, fields: Json, lossy: string[] = []): BodyResult => ({ type, body: compact(fields), lossy, attachments: secrets });
  // A forwarded bundle (合并消息) has `subType` and no `type`; the import API has no such message.
  if (b.subType === 'sub_combine') {
    const { body, lossy } = customBody('sub_combine', { title: b.title, summary: b.summary, url: b.url, filename: b.filename, secret: b.secret, combineLevel: b.combineLevel, file_length: b.file_length });
    return ok('custom', body, ['forwarded bundle (sub_combine) → custom', ...lossy]);
  }
  switch (b.type) {
    case 'txt':
      return typeof b.msg === 'string' && b.msg !== '' ? ok('txt', { msg: b.msg }) : { skip: 'empty text' };
    case 'img':
      return attachment('img', ok('img', { ...file(), size }));
    case 'audio':
      return attachment('audio', ok('audio', { ...file(), length: count(b.length) }));
    case 'video':
      return attachment('video', ok('video', { ...file(), thumb: str(b.thumb), length: count(b.length), size, thumb_secret: str(b.thumb_secret) }));
    case 'file':
      return attachment('file', ok('file', file()));
    case 'loc':
      return ok('loc', { lat: b.lat, lng: b.lng, addr: typeof b.addr === 'string' ? b.addr : '' });
    case 'cmd':
      return str(b.action) ? ok('cmd', { action: str(b.action) }) : { skip: 'bad record: cmd without action' };
    case 'custom': {
      // `v2:customExts` is the map; the legacy `customExts` is an array of one-entry objects.
      const exts: Json = isObject(b['v2:customExts']) ? { ...b['v2:customExts'] } : Object.assign({}, ...(Array.isArray(b.customExts) ? b.customExts.filter(isObject) : []));
      const event = str(b.customEvent);
      if (!event && Object.keys(exts).length === 0) return { skip: 'empty custom message' };
      const built = customBody(event, exts);
      return Object.keys(built.body).length ? ok('custom', built.body, built.lossy) : { skip: 'empty custom message' };
    }
    default:
      return { skip: `unknown body type ${JSON.stringify(b.type)}` };
  }
}

function attachment(type: string, r: BodyResult): BodyResult {
  return 'body' in r && !r.body.url ? { skip: `${type} without url` } : r;
}
