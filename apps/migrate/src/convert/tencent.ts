// Tencent Cloud IM hourly history files (`v4/open_msg_svc/get_history`): gzip, one JSON object per line
// (sometimes followed by a comma). The record layout is not on Tencent's page; the elements are (product/269/2720).
// Several elements in one message: the texts are joined into one `txt` line, every other element becomes a line
// of its own, in element order.
import { compact, count, customBody, fileName, foreignExt, isObject, num, str, type Json } from './bodies.js';
import { skip, type Draft, type Mapped } from './types.js';

type Part = { type: string; body: Json } | { skip: string };

export function mapTencent(record: Json): Mapped {
  const seconds = num(record.MsgTimestamp ?? record.MsgTimeStamp);
  if (seconds === undefined) return skip('bad record: no MsgTimestamp');
  const from = str(record.From_Account);
  if (!from) return skip('bad record: no From_Account');
  const group = str(record.GroupId);
  const to = str(record.To_Account);
  if (!group && (record.ChatType === 'Group' || !to)) return skip('group message without a group id');
  const seq = num(record.MsgSeq);
  if (!str(record.MsgKey) && seq === undefined) return skip('bad record: no MsgKey or MsgSeq');
  // Without MsgKey: a group message is identified by its group and MsgSeq, a one-to-one message as MsgKey would be.
  const key = str(record.MsgKey) ?? (group ? `${group}_${seq}` : `${seq}_${str(record.MsgRandom)}_${seconds}`);

  const elements = Array.isArray(record.MsgBody) ? record.MsgBody.filter(isObject) : [];
  const lossy: string[] = [];
  const parts: Array<{ type: string; body: Json }> = [];
  const skips: string[] = [];
  let text: { msg: string } | undefined;
  for (const el of elements) {
    const content = isObject(el.MsgContent) ? el.MsgContent : {};
    if (el.MsgType === 'TIMTextElem') {
      const t = typeof content.Text === 'string' ? content.Text : '';
      if (t === '') continue;
      if (text) text.msg += t;
      else parts.push({ type: 'txt', body: (text = { msg: t }) });
      continue;
    }
    const part = element(String(el.MsgType), content, lossy);
    if ('skip' in part) skips.push(part.skip);
    else parts.push(part);
  }
  if (parts.length === 0) return skip(skips[0] ?? 'empty message');
  for (const s of skips) lossy.push(`element left out: ${s}`);

  const ext = foreignExt(record.CloudCustomData, 'CloudCustomData');
  const base = `tencent:${key}`;
  const drafts: Draft[] = parts.map((p, i) =>
    compact({
      chat_type: group ? ('group' as const) : ('single' as const),
      source_id: i === 0 ? base : `${base}#${i + 1}`,
      from,
      target: (group ?? to) as string,
      type: p.type,
      body: p.body,
      ext,
      ts: Math.round(seconds * 1000),
      seq,
    }),
  );
  return { drafts, lossy };
}

function element(type: string, c: Json, lossy: string[]): Part {
  const noUrl = { skip: `${type} without a URL (sent by an SDK before 4.x)` };
  switch (type) {
    case 'TIMLocationElem': {
      const lat = num(c.Latitude);
      const lng = num(c.Longitude);
      return lat === undefined || lng === undefined ? { skip: 'TIMLocationElem without coordinates' } : { type: 'loc', body: { lat, lng, addr: str(c.Desc) ?? '' } };
    }
    case 'TIMFaceElem': {
      lossy.push('TIMFaceElem → custom');
      const built = customBody('TIMFaceElem', { Index: c.Index, Data: c.Data });
      return { type: 'custom', body: built.body };
    }
    case 'TIMCustomElem': {
      const built = customBody('TIMCustomElem', { Data: c.Data, Desc: c.Desc, Ext: c.Ext, Sound: c.Sound });
      lossy.push(...built.lossy);
      return { type: 'custom', body: built.body };
    }
    case 'TIMSoundElem':
      return str(c.Url) ? { type: 'audio', body: compact({ url: str(c.Url), filename: fileName(String(c.Url)), length: count(c.Second), file_length: count(c.Size) }) } : noUrl;
    case 'TIMImageElem': {
      // Type 1 is the original, 2 the large and 3 the thumbnail.
      const infos = Array.isArray(c.ImageInfoArray) ? c.ImageInfoArray.filter(isObject) : [];
      const image = [1, 2, 3].map((t) => infos.find((i) => num(i.Type) === t && str(i.URL))).find(Boolean);
      if (!image) return noUrl;
      const width = num(image.Width);
      const height = num(image.Height);
      const size = width !== undefined && height !== undefined && width >= 0 && height >= 0 ? { width, height } : undefined;
      return { type: 'img', body: compact({ url: str(image.URL), filename: fileName(String(image.URL)), size, file_length: count(image.Size) }) };
    }
    case 'TIMFileElem':
      return str(c.Url) ? { type: 'file', body: compact({ url: str(c.Url), filename: str(c.FileName) ?? fileName(String(c.Url)), file_length: count(c.FileSize) }) } : noUrl;
    case 'TIMVideoFileElem':
      return str(c.VideoUrl)
        ? { type: 'video', body: compact({ url: str(c.VideoUrl), filename: fileName(String(c.VideoUrl)), thumb: str(c.ThumbUrl), length: count(c.VideoSecond), file_length: count(c.VideoSize) }) }
        : noUrl;
    case 'TIMGroupTipElem':
    case 'TIMGroupSystemNoticeElem':
      return { skip: `group notification (${type})` };
    default: {
      // Elements the list does not name (a merged forward, newer types): kept as a custom message.
      lossy.push(`${type} → custom`);
      const built = customBody(type, c);
      return { type: 'custom', body: built.body };
    }
  }
}
