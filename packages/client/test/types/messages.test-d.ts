import { assertType, describe, expectTypeOf, it } from 'vitest';
import type {
  AudioMessage,
  CommandMessage,
  CustomMessage,
  FileMessage,
  ImageBody,
  ImageMessage,
  ImportMessage,
  ImportMessageResponse,
  ImportResult,
  LocationMessage,
  MessageType,
  TextBody,
  TextMessage,
  VideoMessage,
  components,
} from '../../src/index.js';

const base = { from: 'u1', target: 'u2' } as const;

describe('ImportMessage', () => {
  it('is the union of the eight named message types', () => {
    expectTypeOf<ImportMessage>().toEqualTypeOf<
      TextMessage | ImageMessage | AudioMessage | VideoMessage | FileMessage | LocationMessage | CommandMessage | CustomMessage
    >();
    expectTypeOf<TextMessage>().toEqualTypeOf<components['schemas']['TextMessage']>();
  });

  it('MessageType is exactly the eight wire names', () => {
    expectTypeOf<MessageType>().toEqualTypeOf<'txt' | 'img' | 'audio' | 'video' | 'file' | 'loc' | 'cmd' | 'custom'>();
  });

  it('narrows on `type`', () => {
    const message = {} as ImportMessage;
    if (message.type === 'txt') expectTypeOf(message.body).toEqualTypeOf<TextBody>();
    if (message.type === 'img') expectTypeOf(message.body).toEqualTypeOf<ImageBody>();
    if (message.type === 'loc') expectTypeOf(message.body.addr).toEqualTypeOf<string>();
  });

  it('accepts one valid message of each type', () => {
    assertType<ImportMessage>({ ...base, type: 'txt', body: { msg: 'hi' }, msg_timestamp: 1656906628428, ext: { k: [1, { a: null }] } });
    assertType<ImportMessage>({ ...base, type: 'img', body: { url: 'https://x/a.png', filename: 'a.png', size: { width: 1, height: 2 } } });
    assertType<ImportMessage>({ ...base, type: 'audio', body: { url: 'https://x/a.amr', length: 3 } });
    assertType<ImportMessage>({ ...base, type: 'video', body: { url: 'https://x/a.mp4', thumb: 'https://x/t.jpg', file_length: 9 } });
    assertType<ImportMessage>({ ...base, type: 'file', body: { url: 'https://x/a.pdf', filename: 'a.pdf' }, need_download: true });
    assertType<ImportMessage>({ ...base, type: 'loc', body: { lat: '39.966', lng: 116.322, addr: 'Beijing' } });
    assertType<ImportMessage>({ ...base, type: 'cmd', body: { action: 'refresh' } });
    assertType<ImportMessage>({ ...base, type: 'custom', body: { customEvent: 'gift', customExts: { n: '1' } } });
  });

  it('rejects a body that does not fit its type', () => {
    // @ts-expect-error an image body on a text message
    assertType<ImportMessage>({ ...base, type: 'txt', body: { url: 'https://x/a.png' } });
    // @ts-expect-error a text body on a location message
    assertType<ImportMessage>({ ...base, type: 'loc', body: { msg: 'here' } });
  });

  it('rejects a missing required field', () => {
    // @ts-expect-error an image without url
    assertType<ImportMessage>({ ...base, type: 'img', body: { filename: 'a.png' } });
    // @ts-expect-error a location without addr
    assertType<ImportMessage>({ ...base, type: 'loc', body: { lat: '1', lng: '2' } });
    // @ts-expect-error no target
    assertType<ImportMessage>({ from: 'u1', type: 'txt', body: { msg: 'hi' } });
  });

  it('rejects a misspelled field', () => {
    // @ts-expect-error `filname`
    assertType<ImportMessage>({ ...base, type: 'file', body: { url: 'https://x/a.pdf', filname: 'a.pdf' } });
    // @ts-expect-error `msg_timestmp`
    assertType<ImportMessage>({ ...base, type: 'txt', body: { msg: 'hi' }, msg_timestmp: 1656906628428 });
  });

  it('rejects an unknown type and wrong value types', () => {
    // @ts-expect-error `text` is not a message type
    assertType<ImportMessage>({ ...base, type: 'text', body: { msg: 'hi' } });
    // @ts-expect-error msg_timestamp is a number of milliseconds
    assertType<ImportMessage>({ ...base, type: 'txt', body: { msg: 'hi' }, msg_timestamp: '1656906628428' });
  });
});

describe('responses', () => {
  it('msg_id is a string; a numeric one does not compile', () => {
    expectTypeOf<ImportResult['msg_id']>().toEqualTypeOf<string>();
    expectTypeOf<ImportMessageResponse['data']['msg_id']>().toEqualTypeOf<string>();
    // @ts-expect-error msg_id exceeds 2^53 and is never a number
    assertType<ImportResult>({ msg_id: 10212123848595000 });
  });
});
