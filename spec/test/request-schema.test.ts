import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { specDir } from './redocly';

// The request schemas of the bundle, compiled as a JSON Schema 2020-12 validator (OpenAPI 3.1's dialect).
const bundle = JSON.parse(readFileSync(join(specDir, 'dist/openapi.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ ...bundle, $id: 'openapi.json' });
const validateMessage = ajv.getSchema('openapi.json#/components/schemas/ImportMessage')!;
const validateGroup = ajv.getSchema('openapi.json#/components/schemas/GroupImportMessage')!;
const validateToken = ajv.getSchema('openapi.json#/components/schemas/TokenRequest')!;
const resolve = (ref: string): any => ref.slice(2).split('/').reduce((node, key) => node[key], bundle);

// The two request bodies of the original documentation (the image's URL placeholder filled in).
const seedText = { target: 'username2', type: 'txt', body: { msg: 'import message.' }, from: 'username1', is_ack_read: true, msg_timestamp: 1656906628428 };
const seedImage = {
  target: 'username2', type: 'img', from: 'username1', is_ack_read: true, msg_timestamp: 1656906628428, need_download: true,
  body: { url: 'https://cdn.example.com/i.jpg', filename: '<ImageFileName>', size: { width: 1080, height: 1920 } },
};
const base = { from: 'u1', target: 'u2', msg_timestamp: 1656906628428 };

const accepted: [string, unknown][] = [
  ['the seed text message', seedText],
  ['the seed image message', seedImage],
  ['a group message with a numeric-string id', { ...seedText, target: '1123376564212' }],
  ['text with ext', { ...base, type: 'txt', body: { msg: 'hi' }, ext: { a: 1, b: [true], c: { d: null } } }],
  ['text without msg_timestamp', { from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hi' } }],
  ['audio', { ...base, type: 'audio', body: { url: 'https://x/a.amr', filename: 'a.amr', length: 3, secret: 's' } }],
  ['video', { ...base, type: 'video', body: { url: 'https://x/v.mp4', thumb: 'https://x/t.jpg', length: 3, file_length: 100, secret: 's', thumb_secret: 't' } }],
  ['file', { ...base, type: 'file', body: { url: 'https://x/f.pdf', filename: 'f.pdf', secret: 's' } }],
  ['loc with string coordinates', { ...base, type: 'loc', body: { lat: '39.966', lng: '116.322', addr: 'Beijing' } }],
  ['loc with numeric coordinates (Java 1.x SDK)', { ...base, type: 'loc', body: { lat: 39.966, lng: 116.322, addr: 'Beijing' } }],
  ['cmd', { ...base, type: 'cmd', body: { action: 'action1' } }],
  ['custom with an event only', { ...base, type: 'custom', body: { customEvent: 'a-b_c/d.e' } }],
  ['custom with 16 exts', { ...base, type: 'custom', body: { customExts: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])) } }],
  ['msg_timestamp at its minimum', { ...base, type: 'txt', body: { msg: 'hi' }, msg_timestamp: 1000 }],
  ['msg_timestamp at its maximum, 2^53 - 1', { ...base, type: 'txt', body: { msg: 'hi' }, msg_timestamp: Number.MAX_SAFE_INTEGER }],
  // Easemob's own message model (Java SDK 2.0, history export): file_length, video size, body.type.
  ['file_length on img, audio and file', { ...base, type: 'img', body: { url: 'http://x/i.jpg', file_length: 128827 } }],
  ['file_length on audio', { ...base, type: 'audio', body: { url: 'https://x/a.amr', file_length: 6630, length: 10 } }],
  ['file_length on file', { ...base, type: 'file', body: { url: 'https://x/f.md', file_length: 3279 } }],
  ['video with a thumbnail size', { ...base, type: 'video', body: { url: 'https://x/v.mp4', size: { width: 360, height: 480 } } }],
  ['body.type equal to the message type', { ...base, type: 'txt', body: { msg: 'hi', type: 'txt' } }],
  ['custom with body.type and an event', { ...base, type: 'custom', body: { type: 'custom', customEvent: 'gift' } }],
];

const { from: _f, ...noFrom } = seedText;
const { target: _t, ...noTarget } = seedText;
const { type: _y, ...noType } = seedText;
const { body: _b, ...noBody } = seedText;
const rejected: [string, unknown, string][] = [
  ['missing from', noFrom, 'from'],
  ['missing target', noTarget, 'target'],
  ['missing type', noType, 'type'],
  ['missing body', noBody, 'body'],
  ['empty from', { ...seedText, from: '' }, '/from'],
  ['empty target', { ...seedText, target: '' }, '/target'],
  ['empty text body', { ...seedText, body: {} }, 'msg'],
  ['empty custom body', { ...base, type: 'custom', body: {} }, '/body'],
  ['unknown type', { ...seedText, type: 'text' }, '/type'],
  ['the legacy Java SDK shape', { from: 'u1', target: 'u2', type: 'text', msg: { type: 'txt', msg: 'hi' } }, 'msg'],
  ['msg_timestamp 0', { ...seedText, msg_timestamp: 0 }, '/msg_timestamp'],
  ['msg_timestamp 999', { ...seedText, msg_timestamp: 999 }, '/msg_timestamp'],
  ['msg_timestamp as a string', { ...seedText, msg_timestamp: '1656906628428' }, '/msg_timestamp'],
  ['a misspelled body field', { ...seedImage, body: { url: 'https://x/i.jpg', filname: 'i.jpg' } }, 'filname'],
  ['a misspelled top-level field', { ...seedText, need_downlaod: true }, 'need_downlaod'],
  ['a body that belongs to another type', { ...base, type: 'img', body: { msg: 'hi' } }, 'url'],
  ['an attachment without url', { ...base, type: 'file', body: { filename: 'f.pdf' } }, 'url'],
  ['customExts with 17 entries', { ...base, type: 'custom', body: { customExts: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) } }, 'customExts'],
  ['customExts with a number value', { ...base, type: 'custom', body: { customExts: { n: 1 } } }, 'customExts'],
  ['customEvent with a space', { ...base, type: 'custom', body: { customEvent: 'gift sent' } }, 'customEvent'],
  ['customEvent of 33 characters', { ...base, type: 'custom', body: { customEvent: 'a'.repeat(33) } }, 'customEvent'],
  ['ext null', { ...seedText, ext: null }, '/ext'],
  ['loc without addr', { ...base, type: 'loc', body: { lat: '1', lng: '2' } }, 'addr'],
  ['need_download as a string', { ...seedImage, need_download: 'true' }, '/need_download'],
  ['from as a number', { ...seedText, from: 42 }, '/from'],
  ['body as a string', { ...seedText, body: 'hi' }, '/body'],
  ['msg_timestamp above 2^53 - 1', { ...seedText, msg_timestamp: 2 ** 53 }, '/msg_timestamp'],
  ['the docs\' URL placeholder', { ...seedImage, body: { url: '<YourImageUrl>' } }, '/body/url'],
  ['a relative attachment URL', { ...base, type: 'file', body: { url: 'files/f.pdf' } }, '/body/url'],
  ['a relative thumbnail URL', { ...base, type: 'video', body: { url: 'https://x/v.mp4', thumb: 't.jpg' } }, '/body/thumb'],
  ['a negative file_length', { ...base, type: 'file', body: { url: 'https://x/f', file_length: -1 } }, '/body/file_length'],
  ['body.type other than the message type', { ...base, type: 'txt', body: { msg: 'hi', type: 'img' } }, '/body/type'],
  ['a custom body with only body.type', { ...base, type: 'custom', body: { type: 'custom' } }, '/body'],
  ['cmd with the Java 1.x param', { ...base, type: 'cmd', body: { action: 'a', param: { k: 'v' } } }, 'param'],
];

describe('ImportMessage request schema', () => {
  it.each(accepted)('accepts %s', (_name, message) => {
    expect(validateMessage(message), ajv.errorsText(validateMessage.errors)).toBe(true);
  });

  it.each(rejected)('rejects %s, naming %s', (_name, message, field) => {
    expect(validateMessage(message)).toBe(false);
    const named = validateMessage.errors!.map((e) => `${e.instancePath} ${JSON.stringify(e.params)}`).join('\n');
    expect(named).toContain(field);
  });

  it('accepts every named request example of both import operations', () => {
    const operations = [
      ['/{org_name}/{app_name}/messages/users/import', 'ImportMessage', validateMessage],
      ['/{org_name}/{app_name}/messages/chatgroups/import', 'GroupImportMessage', validateGroup],
    ] as const;
    for (const [path, schema, validate] of operations) {
      const content = bundle.paths[path].post.requestBody.content['application/json'];
      expect(content.schema.$ref).toBe(`#/components/schemas/${schema}`);
      expect(Object.keys(content.examples).sort()).toEqual(['audio', 'cmd', 'custom', 'file', 'img', 'loc', 'txt', 'video']);
      for (const [key, ex] of Object.entries<any>(content.examples)) {
        const message = (ex.$ref ? resolve(ex.$ref) : ex).value;
        expect(message.type, `${path} ${key}`).toBe(key);
        expect(validate(message), `${path} ${key}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    }
  });
});

describe('GroupImportMessage request schema', () => {
  it('accepts a message whose target is a numeric group id', () => {
    expect(validateGroup({ ...seedText, target: '1123376564212' }), ajv.errorsText(validateGroup.errors)).toBe(true);
  });
  it.each([['a user name', 'username2'], ['an empty string', ''], ['a number', 1123376564212]])('rejects %s as target', (_name, target) => {
    expect(validateGroup({ ...seedText, target })).toBe(false);
    expect(validateGroup.errors!.map((e) => e.instancePath)).toContain('/target');
  });
  it('still rejects what ImportMessage rejects', () => {
    expect(validateGroup({ ...seedText, target: '1', need_downlaod: true })).toBe(false);
  });
});

describe('TokenRequest schema', () => {
  const good = { grant_type: 'client_credentials', client_id: 'id', client_secret: 'secret' };
  it('accepts client credentials with and without ttl', () => {
    expect(validateToken(good)).toBe(true);
    expect(validateToken({ ...good, ttl: 0 })).toBe(true);
  });
  it.each([['a digit string', '3600'], ['the empty string the Go SDK sends', '']])('accepts ttl as %s', (_name, ttl) => {
    expect(validateToken({ ...good, ttl }), ajv.errorsText(validateToken.errors)).toBe(true);
  });
  it.each([
    ['another grant type', { ...good, grant_type: 'password' }],
    ['a missing secret', { grant_type: 'client_credentials', client_id: 'id' }],
    ['an unknown field', { ...good, scope: 'all' }],
    ['a negative ttl', { ...good, ttl: -1 }],
    ['a ttl string that is not digits', { ...good, ttl: '1h' }],
  ])('rejects %s', (_name, body) => {
    expect(validateToken(body)).toBe(false);
  });
});
