// RongCloud hourly history logs (`POST /message/history.json`, a zip per hour): each line a
// `yyyy/MM/dd HH:mm:ss` prefix and a JSON record. Content fields: rongcloud/server-sdk-java `messages/*.java`;
// types: RongCloud's "objectname" list.
import { compact, count, customBody, foreignExt, isObject, num, str, type Json } from './bodies.js';
import { skip, type Mapped, type RecordContext } from './types.js';

// targetType: 1 one-to-one, 2 discussion (retired), 3 group, 4 chat room, 5 customer service, 6 system, 10 ultra group.
const TARGET_SKIPS: Record<number, string> = {
  2: 'discussion group (targetType 2)',
  4: 'chat room (no import endpoint)',
  5: 'customer service (targetType 5)',
  6: 'system message (targetType 6)',
  7: 'public service (targetType 7)',
  8: 'public service (targetType 8)',
  10: 'ultra group (targetType 10, no import endpoint)',
};
/** Status messages the clients never show. */
const STATUS = new Set(['RC:TypSts', 'RC:RRReqMsg', 'RC:RRRspMsg', 'RC:SRSMsg', 'RC:ReadNtf']);

export function mapRongcloud(record: Json, ctx?: RecordContext): Mapped {
  const uid = str(record.msgUID);
  const classname = str(record.classname);
  const from = str(record.fromUserId);
  if (!uid) return skip('bad record: no msgUID');
  if (!classname) return skip('bad record: no classname');
  if (!from) return skip('bad record: no fromUserId');
  // `timestamp` (ms), else `dateTime`, else the line's prefix: both Beijing time to the second.
  const ts = num(record.timestamp) ?? beijing(record.dateTime) ?? beijing(ctx?.prefix.replace(/\//g, '-'));
  if (ts === undefined) return skip('bad record: no timestamp');
  const targetType = num(record.targetType);
  if (targetType !== undefined && TARGET_SKIPS[targetType]) return skip(TARGET_SKIPS[targetType]);
  if (targetType !== 1 && targetType !== 3) return skip(`unknown targetType ${JSON.stringify(record.targetType)}`);
  // Which field holds the group id is not documented: GroupId when present, else targetId.
  const target = targetType === 3 ? (str(record.GroupId) ?? str(record.targetId)) : str(record.targetId);
  if (!target) return skip('bad record: no targetId');

  let content: unknown = record.content;
  if (typeof content === 'string') {
    try {
      content = JSON.parse(content);
    } catch {
      content = { content };
    }
  }
  const c = isObject(content) ? content : {};
  if (classname === 'RC:RcCmd') {
    const recalled = str(c.messageUId);
    return skip('recall (RC:RcCmd)', recalled ? { recall: `rongcloud:${recalled}` } : {});
  }
  if (STATUS.has(classname)) return skip(`status message (${classname})`);
  if (classname.endsWith('Ntf')) return skip(`notification (${classname})`);
  if (classname === 'RC:VcMsg') return skip('voice with inline audio (RC:VcMsg): upload the audio and import it as audio');

  const lossy: string[] = [];
  const m = body(classname, c, lossy);
  if ('skip' in m) return skip(m.skip);
  const draft = compact({
    chat_type: targetType === 3 ? ('group' as const) : ('single' as const),
    source_id: `rongcloud:${uid}`,
    from,
    target,
    type: m.type,
    body: m.body,
    ext: foreignExt(c.extra, 'extra'),
    ts,
  });
  return { drafts: [draft], lossy };
}

function body(classname: string, c: Json, lossy: string[]): { type: string; body: Json } | { skip: string } {
  const url = (v: unknown, what: string) => (str(v) ? undefined : { skip: `${classname} without ${what}` });
  switch (classname) {
    case 'RC:TxtMsg':
      return str(c.content) ? { type: 'txt', body: { msg: String(c.content) } } : { skip: 'empty text' };
    case 'RC:ImgMsg':
      // `content` is a base64 thumbnail; the image is at imageUri.
      return url(c.imageUri, 'imageUri') ?? { type: 'img', body: { url: str(c.imageUri) } };
    case 'RC:GIFMsg': {
      const w = num(c.width);
      const h = num(c.height);
      return url(c.remoteUrl, 'remoteUrl') ?? { type: 'img', body: compact({ url: str(c.remoteUrl), size: w !== undefined && h !== undefined && w >= 0 && h >= 0 ? { width: w, height: h } : undefined }) };
    }
    case 'RC:HQVCMsg':
      return url(c.remoteUrl, 'remoteUrl') ?? { type: 'audio', body: compact({ url: str(c.remoteUrl), length: count(c.duration) }) };
    case 'RC:SightMsg':
      return url(c.sightUrl, 'sightUrl') ?? { type: 'video', body: compact({ url: str(c.sightUrl), filename: str(c.name), length: count(c.duration), file_length: count(c.size) }) };
    case 'RC:FileMsg':
      return url(c.fileUrl, 'fileUrl') ?? { type: 'file', body: compact({ url: str(c.fileUrl), filename: str(c.name), file_length: count(c.size) }) };
    case 'RC:LBSMsg': {
      const lat = num(c.latitude);
      const lng = num(c.longitude);
      return lat === undefined || lng === undefined ? { skip: 'RC:LBSMsg without coordinates' } : { type: 'loc', body: { lat, lng, addr: str(c.poi) ?? '' } };
    }
    case 'RC:CmdMsg':
      if (!str(c.name)) return { skip: 'RC:CmdMsg without name' };
      if (str(c.data)) lossy.push('RC:CmdMsg data dropped (cmd has only an action)');
      return { type: 'cmd', body: { action: String(c.name) } };
    default: {
      // App-defined and other RC:* types: a custom message named after the type, its fields as attributes.
      const { extra: _extra, user: _user, ...fields } = c;
      const built = customBody(classname, fields);
      lossy.push(`${classname} → custom`, ...built.lossy.filter((l) => !l.startsWith('customEvent')));
      return { type: 'custom', body: built.body };
    }
  }
}

/** `dateTime` as RongCloud writes it, `yyyy-MM-dd HH:mm:ss` in Beijing time. */
function beijing(v: unknown): number | undefined {
  const m = typeof v === 'string' && /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(v);
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] - 8, +m[5], +m[6]);
}
