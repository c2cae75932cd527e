// Each source's fixture (one record per message type and per skip reason, compressed and not) converts into
// lines `validate` accepts, with the report saying what was skipped, lost, renamed and left unmapped.
import { describe, expect, it } from 'vitest';
import { bySource, convert, fixture, validate } from './support.js';

describe('convert --from easemob', async () => {
  const r = await convert(['--from', 'easemob', fixture('easemob/export'), '--group-map', fixture('easemob/groups.csv')]);
  const lines = bySource(r.lines);

  it('writes every body type, and validate accepts the file', async () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // bad records and an unmapped group
    expect(r.report.lines_by_type).toEqual({ txt: 7, custom: 3, img: 1, loc: 1, audio: 1, video: 1, file: 1, cmd: 1 });
    const v = await validate(r.out);
    expect(v.code).toBe(0);
    expect(v.summary.valid).toBe(r.lines.length);
  });

  it('maps bodies, ext and ids as documented', () => {
    expect(lines['easemob:1047089140453738556']).toEqual({ chat_type: 'single', source_id: 'easemob:1047089140453738556', from: 'alice', target: 'bob', type: 'txt', body: { msg: 'welcome to easemob!' }, ext: { key1: 'value1' }, msg_timestamp: 1656903600100 });
    expect(lines['easemob:1047089140453738557'].body).toEqual({ url: 'https://a1.easemob.com/org/app/chatfiles/65e54a4a-0000-0000-b821-ebde7b50cc4b', filename: 'test1.jpg', secret: 'DRGM8OZrEeO1vaXXXXXXXXHBeKlIhDp0GCnFu54xOF3M6KLr', file_length: 128827, size: { width: 746, height: 1325 } });
    expect(lines['easemob:1047089140453738557'].ext).toBeUndefined(); // an empty ext is left out
    expect(lines['easemob:1047089140453738560'].body).toMatchObject({ thumb_secret: 'ZyebKn9pEeSSfY03ROk7ND24zUf74s7HpPN1oMV-1JxN2O2I', length: 10, file_length: 58103, size: { width: 360, height: 480 } });
    expect(lines['easemob:1047089140453738563']).toMatchObject({ chat_type: 'group', target: '1123376564212', body: { customEvent: 'gift_1', customExts: { name: 'flower', size: '16', price: '100' } } });
    expect(lines['easemob:1047089140453738564'].body).toEqual({ customEvent: 'gift_legacy', customExts: { name: 'flower', size: '16' } });
    expect(lines['easemob:1047089140453738565']).toMatchObject({ type: 'custom', body: { customEvent: 'sub_combine', customExts: { title: '聊天记录', combineLevel: '1' } } });
    expect(lines['easemob:1047089140453738568'].from).toBe('admin');
    expect(lines['easemob:1047089140453738569'].body).toEqual({ msg: 'first body' });
    expect(lines['easemob:1047089140453738574'].from).toBe('dave.smith_example.com_7947e5e6');
  });

  it('orders every conversation across files, breaks equal timestamps by file order, drops the repeated message', () => {
    const alice = r.lines.filter((l) => l.chat_type === 'single' && [l.from, l.target].sort().join() === 'alice,bob').map((l) => l.source_id);
    expect(alice.slice(0, 2)).toEqual(['easemob:1047089140453738556', 'easemob:1047089140453738601']);
    expect(alice.filter((id) => id === 'easemob:1047089140453738556')).toHaveLength(1);
    expect(lines['easemob:1047089140453738574'].msg_timestamp).toBe(1656903601900);
    expect(lines['easemob:1047089140453738575'].msg_timestamp).toBe(1656903601901);
    expect(r.report).toMatchObject({ duplicates_dropped: 1, timestamps_raised: 1 });
  });

  it('reports chat rooms, unknown and empty bodies, unmapped groups, bad records with file and line', () => {
    expect(Object.fromEntries(Object.entries(r.report.skipped).map(([k, v]: [string, any]) => [k, v.count]))).toEqual({
      'group without a --group-map entry': 1,
      'chat room (no import endpoint)': 1,
      'unknown body type "hologram"': 1,
      'empty text': 1,
      'bad record: unreadable': 1,
      'bad record: no payload': 1,
    });
    expect(r.report.bad_records.listed.map((b: any) => `${b.file.split('/').pop()}:${b.line}`)).toEqual(['2022070403:17', '2022070403:18']);
    expect(r.report.unmapped_groups).toEqual([{ id: '169200000000001', messages: 1 }]);
    expect(r.report.groups_to_create).toEqual(['169200000000001']);
    expect(r.report.renamed_users.map).toEqual({ 'Dave.Smith@example.com': 'dave.smith_example.com_7947e5e6' });
    expect(r.report.lossy).toEqual({ 'forwarded bundle (sub_combine) → custom': 1, 'more than one body (the first is kept)': 1 });
    expect(r.report.notes).toEqual({ 'sent by admin (REST, no sender)': 1 });
    expect(r.report.attachments.share_secret.count).toBe(4);
    expect(r.report.time_range).toEqual({ first: '2022-07-04T03:00:00.100Z', last: '2022-07-04T04:00:00.100Z' });
    expect(r.stdout).toContain('2022070403:17: record is cut off');
    expect(r.stdout).toContain('groups without a --group-map entry: 1, 1 message left out: 169200000000001 (1)');
  });
});

describe('convert --from tencent', async () => {
  const r = await convert(['--from', 'tencent', fixture('tencent/export'), '--group-map', fixture('tencent/groups.json')]);
  const lines = bySource(r.lines);

  it('maps every element type, and validate accepts the file', async () => {
    expect(r.report.lines_by_type).toEqual({ txt: 7, custom: 3, img: 2, loc: 1, audio: 1, file: 1, video: 1 });
    expect((await validate(r.out)).code).toBe(0);
    expect(lines['tencent:102_1002_1656903601'].body).toEqual({ lat: 22.540503, lng: 113.934528, addr: 'Tencent Building, Shenzhen' });
    expect(lines['tencent:103_1003_1656903602'].body).toEqual({ customEvent: 'TIMFaceElem', customExts: { Index: '1', Data: 'content' } });
    expect(lines['tencent:104_1004_1656903603']).toMatchObject({ type: 'custom', ext: { replyTo: '103_1003_1656903602', src_em_push_title: 'x' } });
    expect(lines['tencent:105_1005_1656903604'].body).toEqual({ url: 'https://cos.ap-shanghai.myqcloud.com/sound/abc.m4a', filename: 'abc.m4a', length: 1, file_length: 62351 });
    expect(lines['tencent:106_1006_1656903605'].body).toMatchObject({ url: expect.stringContaining('original.jpg'), size: { width: 2448, height: 3264 }, file_length: expect.any(Number) });
    expect(lines['tencent:107_1007_1656903606'].body).toEqual({ url: 'https://cos.ap-shanghai.myqcloud.com/file/report%20Q2.pdf', filename: 'report Q2.pdf', file_length: 1773552 });
    expect(lines['tencent:108_1008_1656903607'].body).toEqual({ url: 'https://cos.ap-shanghai.myqcloud.com/video/clip.mp4', filename: 'clip.mp4', thumb: 'https://cos.ap-shanghai.myqcloud.com/video/clip.jpg', length: 5, file_length: 1194603 });
    expect(lines['tencent:114_1014_1656903612'].body).toEqual({ msg: 'a trailing comma inside' });
    expect(lines['tencent:@TGS#2J4SZEAEL_1']).toMatchObject({ chat_type: 'group', target: '1123376564213' });
  });

  it('joins the texts of a message and gives its other elements lines of their own (MsgTimeStamp spelling too)', () => {
    expect(lines['tencent:109_1009_1656903608']).toMatchObject({ type: 'txt', body: { msg: 'look at this' }, msg_timestamp: 1656903608000 });
    expect(lines['tencent:109_1009_1656903608#2']).toMatchObject({ type: 'img', msg_timestamp: 1656903608001 });
  });

  it('breaks a shared second by MsgSeq, not file order', () => {
    const ids = r.lines.map((l) => l.source_id);
    expect(ids.indexOf('tencent:111_1011_1656903610')).toBeLessThan(ids.indexOf('tencent:112_1012_1656903610'));
    expect(lines['tencent:112_1012_1656903610'].msg_timestamp).toBe(1656903610001);
  });

  it('reports skips, lossy mappings and signed URLs', () => {
    expect(Object.keys(r.report.skipped).sort()).toEqual(
      ['TIMSoundElem without a URL (sent by an SDK before 4.x)', 'bad record: no MsgTimestamp', 'empty message', 'group message without a group id', 'group notification (TIMGroupTipElem)', 'group without a --group-map entry'].sort(),
    );
    expect(r.report.bad_records.listed).toEqual([{ file: fixture('tencent/export/C2C/2022070411.gz'), line: 13, problem: 'bad record: no MsgTimestamp' }]);
    expect(r.report.lossy).toEqual({ 'TIMFaceElem → custom': 1, 'TIMRelayElem → custom': 1 });
    expect(r.report.attachments.signed_url).toMatchObject({ count: 1, example: 'tencent:106_1006_1656903605' });
    expect(r.report.groups_to_create).toEqual(['@TGS#UNMAPPED']);
  });
});

describe('convert --from rongcloud', async () => {
  const r = await convert(['--from', 'rongcloud', fixture('rongcloud/export'), '--group-map', fixture('rongcloud/groups.csv')]);
  const lines = bySource(r.lines);

  it('maps the RC:* types through the line wrapper (zip and plain), and validate accepts the file', async () => {
    expect(r.report.inputs).toBe(2);
    expect(r.report.lines_by_type).toEqual({ txt: 4, img: 2, custom: 2, audio: 1, video: 1, file: 1, loc: 1, cmd: 1 });
    expect((await validate(r.out)).code).toBe(0);
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0001']).toMatchObject({ body: { msg: 'hello from RongCloud' }, ext: { orderId: 'A-1' } });
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0003'].body).toEqual({ url: 'https://rongcloud-image.ronghub.com/cat.gif', size: { width: 200, height: 150 } });
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0004'].body).toEqual({ url: 'https://rongcloud-audio.ronghub.com/voice.aac', length: 7 });
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0008'].body).toEqual({ lat: 39.9042, lng: 116.4074, addr: 'Tiananmen, Beijing' });
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0009'].body).toEqual({ action: 'refresh_profile' });
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0011'].body).toEqual({ customEvent: 'App.OrderCard', customExts: { orderId: 'A-1', amount: '99.5', items: '["pen","ink"]' } });
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0012']).toMatchObject({ chat_type: 'group', target: '1123376564214' });
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0019'].msg_timestamp).toBe(Date.parse('2022-07-04T11:00:19+08:00')); // from dateTime
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0023'].msg_timestamp).toBe(Date.parse('2022-07-04T12:00:02+08:00')); // from the line prefix
  });

  it('drops a recalled message, skips and counts notifications, status, chat rooms, system and ultra groups', () => {
    expect(lines['rongcloud:BQ6C-A1B2-C3D4-0018']).toBeUndefined();
    expect(r.report.recalled_dropped).toBe(1);
    const skipped = Object.keys(r.report.skipped);
    for (const reason of ['recall (RC:RcCmd)', 'notification (RC:InfoNtf)', 'notification (RC:RcNtf)', 'status message (RC:TypSts)', 'chat room (no import endpoint)', 'system message (targetType 6)', 'ultra group (targetType 10, no import endpoint)', 'voice with inline audio (RC:VcMsg): upload the audio and import it as audio']) {
      expect(skipped).toContain(reason);
    }
    expect(r.report.bad_records.listed).toEqual([{ file: `${fixture('rongcloud/export/2022070411.zip')}:2022070411.log`, line: 19, problem: 'bad record: unreadable' }].map((b) => ({ ...b, problem: expect.stringContaining('text outside a JSON object') })));
    expect(r.report.attachments.signed_url.count).toBe(2);
    expect(r.report.lossy).toMatchObject({ 'RC:ImgTextMsg → custom': 1, 'App:OrderCard → custom': 1 });
  });
});

describe('convert --from slack', async () => {
  const folder = await convert(['--from', 'slack', fixture('slack/export'), '--group-map', fixture('slack/groups.csv')]);
  const zip = await convert(['--from', 'slack', fixture('slack/export.zip'), '--group-map', fixture('slack/groups.csv')]);
  const lines = bySource(folder.lines);

  it('reads the zip and the folder alike, and validate accepts the file', async () => {
    expect(zip.lines).toEqual(folder.lines);
    expect((await validate(zip.out)).code).toBe(0);
    expect(folder.report.lines_by_type).toEqual({ txt: 11, img: 1, file: 1, video: 1, audio: 1 });
  });

  it('makes DMs one-to-one and the rest groups, files attachments, ts microseconds the tie-breaker', () => {
    expect(lines['slack:D0DM1:1656903620.000100']).toMatchObject({ chat_type: 'single', from: 'U01ALICE', target: 'U02BOB' });
    expect(lines['slack:G0MPIM:1656903630.000100']).toMatchObject({ chat_type: 'group', target: '1123376564216' });
    expect(lines['slack:C0GENERAL:1656903602.000300#2']).toMatchObject({ type: 'img', body: { url: 'https://files.slack.com/files-pri/T0-F0IMG/photo.jpg', filename: 'photo.jpg', size: { width: 1024, height: 768 } } });
    expect(lines['slack:C0GENERAL:1656903602.000300#3']).toMatchObject({ type: 'file', body: { filename: 'plan.pdf' } });
    expect(lines['slack:C0GENERAL:1656903603.000400'].from).toBe('B0DEPLOY');
    expect(lines['slack:C0GENERAL:1656903610.000200'].msg_timestamp).toBe(1656903610000);
    expect(lines['slack:C0GENERAL:1656903610.000500'].msg_timestamp).toBe(1656903610001);
  });

  it('skips join, leave and topic, flags url_private, lists the unmapped private channel', () => {
    expect(Object.keys(folder.report.skipped).sort()).toEqual(
      ['Slack channel_join (not a message)', 'Slack channel_leave (not a message)', 'Slack channel_topic (not a message)', 'only files without a URL', 'no sender (neither user nor bot_id)', 'conversation not listed in channels, groups, dms or mpims.json', 'group without a --group-map entry'].sort(),
    );
    expect(folder.report.attachments.auth_required.count).toBe(4);
    expect(folder.report.groups_to_create).toEqual(['G0PRIVATE']);
    expect(folder.report.renamed_users.count).toBe(0);
  });
});
