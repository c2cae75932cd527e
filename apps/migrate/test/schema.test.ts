import { describe, expect, it } from 'vitest';
import { createSchemaValidator } from '../src/schema.js';

const validate = createSchemaValidator();
const base = { from: 'u1', target: 'u2', msg_timestamp: 1656906628428 };

describe('schema validation from the spec bundle', () => {
  it('checks a group line against GroupImportMessage: the target is a numeric group id', () => {
    const line = { ...base, type: 'txt', body: { msg: 'hi' } };
    expect(validate({ ...line, target: '1123376564212' }, 'group')).toEqual([]);
    expect(validate(line, 'group')).toEqual([expect.objectContaining({ field: '/target', message: expect.stringMatching(/pattern/) })]);
    expect(validate(line, 'single')).toEqual([]);
  });

  it.each([
    ['txt', { msg: 'hi' }],
    ['img', { url: 'https://x.test/a.jpg', filename: 'a.jpg', size: { width: 1, height: 2 } }],
    ['audio', { url: 'https://x.test/a.amr', length: 3 }],
    ['video', { url: 'https://x.test/a.mp4', thumb: 'https://x.test/a.jpg', file_length: 10 }],
    ['file', { url: 'https://x.test/a.pdf', filename: 'a.pdf' }],
    ['loc', { lat: '39.9', lng: 116.3, addr: 'x' }],
    ['cmd', { action: 'a' }],
    ['custom', { customEvent: 'gift', customExts: { a: 'b' } }],
  ])('accepts a %s message', (type, body) => {
    expect(validate({ ...base, type, body })).toEqual([]);
  });

  it.each([
    ['an empty text', { ...base, type: 'txt', body: { msg: '' } }, '/body/msg', /fewer than 1/],
    ['a misspelt field', { ...base, type: 'img', body: { url: 'https://x', filname: 'a' } }, '/body/filname', /not a known field/],
    ['a missing body field', { ...base, type: 'cmd', body: {} }, '/body/action', /required/],
    ['an unknown type', { ...base, type: 'sticker', body: {} }, '/type', /must be one of txt, img, audio, video, file, loc, cmd, custom/],
    ['a missing type', { ...base, body: { msg: 'x' } }, '/type', /required/],
    ['a missing sender', { target: 'u2', type: 'txt', body: { msg: 'x' } }, '/from', /required/],
    ['a bad coordinate', { ...base, type: 'loc', body: { lat: 'north', lng: '1', addr: 'x' } }, '/body/lat', /one of/],
    ['a timestamp below 1000', { ...base, msg_timestamp: 5, type: 'txt', body: { msg: 'x' } }, '/msg_timestamp', />= 1000/],
    ['an unknown top-level field', { ...base, type: 'txt', body: { msg: 'x' }, extra: 1 }, '/extra', /not a known field/],
    ['a null ext', { ...base, type: 'txt', body: { msg: 'x' }, ext: null }, '/ext', /object/],
  ])('rejects %s naming the field', (_name, message, field, text) => {
    const problems = validate(message);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.find((p) => p.field === field)!.message).toMatch(text);
  });

  it('reports only the variant that type selects', () => {
    const problems = validate({ ...base, type: 'txt', body: { url: 'https://x' } });
    expect(problems).toEqual([
      { field: '/body/msg', message: 'is required' },
      { field: '/body/url', message: 'is not a known field' },
    ]);
  });
});
