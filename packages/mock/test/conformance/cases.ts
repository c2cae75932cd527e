// The conformance table. Adding a case is adding a row: the runner in conformance.test.ts
// sends each row to the target (the mock, or a live server; see target.ts) and checks it.
// Request bodies start from the spec's own named examples, read from the bundle.

export const importOperations = ['importUserMessage', 'importGroupMessage'] as const;

/** Named request examples that each import operation must accept (200, full envelope). */
export const messageExamples = ['txt', 'img', 'audio', 'video', 'file', 'loc', 'cmd', 'custom'];

/** Fields of the 200 envelope and the JSON type each must have. */
export const envelopeFields: Record<string, 'string' | 'number' | 'array' | 'object'> = {
  action: 'string',
  organization: 'string',
  application: 'string',
  applicationName: 'string',
  uri: 'string',
  path: 'string',
  entities: 'array',
  data: 'object',
  'data.msg_id': 'string',
  timestamp: 'number',
  duration: 'number',
};

export interface BodyCase {
  name: string;
  /** Named request example to start from. */
  example: string;
  /** Dotted paths to set (added or replaced) on that example. */
  set?: Record<string, unknown>;
  /** Dotted paths to remove from it. */
  unset?: string[];
  /** Send this body instead of a changed example. */
  replace?: unknown;
  status: number;
  /** Dotted paths in the request body that the validation errors must name. */
  names: string[];
  /** Mock only: the named 400 example the reply must be (Easemob's wording), and how many violations it lists. */
  answer?: string;
  violations?: number;
  /** The row applies to this operation only. */
  only?: (typeof importOperations)[number];
}

const seventeenExts = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`key${i + 1}`, 'value']));

/** Invalid import bodies: each is a 400 that names the offending field. */
export const invalidImportBodies: BodyCase[] = [
  { name: 'missing from', example: 'txt', unset: ['from'], status: 400, names: ['from'] },
  { name: 'missing target', example: 'txt', unset: ['target'], status: 400, names: ['target'] },
  { name: 'missing type', example: 'txt', unset: ['type'], status: 400, names: ['type'], answer: 'typeNotAllowEmpty' },
  { name: 'empty type', example: 'txt', set: { type: '' }, status: 400, names: ['type'], answer: 'typeNotAllowEmpty' },
  { name: 'missing body', example: 'txt', unset: ['body'], status: 400, names: ['body'], answer: 'illegalArgument' },
  { name: 'empty request object', example: 'txt', replace: {}, status: 400, names: ['from', 'target', 'type', 'body'], answer: 'typeNotAllowEmpty' },
  { name: 'empty message body', example: 'txt', set: { body: {} }, status: 400, names: ['body.msg'], answer: 'illegalArgument' },
  { name: 'empty text', example: 'txt', set: { 'body.msg': '' }, status: 400, names: ['body.msg'] },
  { name: 'unknown type', example: 'txt', set: { type: 'sticker' }, status: 400, names: ['type'] },
  {
    // easemob/easemob-im-server-sdk branch master, ImportMessageRequest.java: no top-level type or body.
    name: 'the Java SDK 1.x shape ({from, target, msg: {type: "text"}}), in the docs\' wording',
    example: 'txt',
    replace: { from: 'username1', target: 'username2', msg: { type: 'text', msg: 'hello' } },
    status: 400,
    names: ['type', 'body'],
    answer: 'typeNotAllowEmpty',
  },
  { name: 'a cmd body with the Java SDK 1.x param', example: 'cmd', set: { 'body.param': { key: 'value' } }, status: 400, names: ['body.param'] },
  { name: 'customExts with a number value (Java SDK 1.x)', example: 'custom', set: { 'body.customExts': { count: 3 } }, status: 400, names: ['body.customExts.count'] },
  { name: 'msg_timestamp 0', example: 'txt', set: { msg_timestamp: 0 }, status: 400, names: ['msg_timestamp'] },
  { name: 'msg_timestamp 999', example: 'txt', set: { msg_timestamp: 999 }, status: 400, names: ['msg_timestamp'] },
  { name: 'misspelled body field (filname), one violation', example: 'img', unset: ['body.filename'], set: { 'body.filname': 'a.jpg' }, status: 400, names: ['body.filname'], violations: 1 },
  { name: 'misspelled top-level field (msg_timestmap)', example: 'txt', set: { msg_timestmap: 1656906628428 }, status: 400, names: ['msg_timestmap'] },
  { name: 'customExts with 17 entries', example: 'custom', set: { 'body.customExts': seventeenExts }, status: 400, names: ['body.customExts'] },
  { name: 'customEvent with a space', example: 'custom', set: { 'body.customEvent': 'gift sent' }, status: 400, names: ['body.customEvent'] },
  { name: 'customEvent longer than 32 characters', example: 'custom', set: { 'body.customEvent': 'e'.repeat(33) }, status: 400, names: ['body.customEvent'] },
  { name: 'ext null', example: 'txt', set: { ext: null }, status: 400, names: ['ext'] },
  { name: 'loc without addr', example: 'loc', unset: ['body.addr'], status: 400, names: ['body.addr'] },
  { name: 'img without url', example: 'img', unset: ['body.url'], status: 400, names: ['body.url'] },
  { name: 'cmd without action', example: 'cmd', unset: ['body.action'], status: 400, names: ['body.action'] },
  { name: 'from is a number', example: 'txt', set: { from: 123 }, status: 400, names: ['from'] },
  { name: 'msg_timestamp is a string', example: 'txt', set: { msg_timestamp: '1656906628428' }, status: 400, names: ['msg_timestamp'] },
  { name: 'msg_timestamp is a fraction', example: 'txt', set: { msg_timestamp: 1656906628428.5 }, status: 400, names: ['msg_timestamp'] },
  { name: 'need_download is a string', example: 'img', set: { need_download: 'yes' }, status: 400, names: ['need_download'] },
  { name: 'is_ack_read is a string', example: 'txt', set: { is_ack_read: 'true' }, status: 400, names: ['is_ack_read'] },
  { name: 'text msg is a number', example: 'txt', set: { 'body.msg': 42 }, status: 400, names: ['body.msg'] },
  { name: 'ext is an array', example: 'txt', set: { ext: ['a'] }, status: 400, names: ['ext'] },
  { name: 'image width is a string', example: 'img', set: { 'body.size': { width: '100', height: 100 } }, status: 400, names: ['body.size.width'] },
  { name: 'body is a string', example: 'txt', set: { body: 'import message.' }, status: 400, names: ['body'] },
  { name: 'msg_timestamp above 2^53 - 1', example: 'txt', set: { msg_timestamp: 2 ** 53 }, status: 400, names: ['msg_timestamp'] },
  { name: 'a relative attachment url', example: 'file', set: { 'body.url': 'chat/report.pdf' }, status: 400, names: ['body.url'], violations: 1 },
  { name: 'the docs\' URL placeholder', example: 'img', set: { 'body.url': '<YourImageUrl>' }, status: 400, names: ['body.url'] },
  { name: 'a relative thumbnail url', example: 'video', set: { 'body.thumb': 'clip.jpg' }, status: 400, names: ['body.thumb'] },
  { name: 'a negative file_length', example: 'audio', set: { 'body.file_length': -1 }, status: 400, names: ['body.file_length'] },
  { name: 'body.type that differs from type', example: 'txt', set: { 'body.type': 'img' }, status: 400, names: ['body.type'], violations: 1 },
  { name: 'a group target that is a user name', example: 'txt', set: { target: 'username2' }, status: 400, names: ['target'], only: 'importGroupMessage' },
];

/**
 * Requests shaped like the ones Easemob's own SDKs and docs send, which the server evidently accepts. `headers`
 * replace the defaults; a null removes one (`content-type: null` sends no Content-Type at all).
 */
export interface AcceptedCase {
  name: string;
  operation: (typeof importOperations)[number] | 'getAppToken';
  body: unknown;
  headers?: Record<string, string | null>;
}

const sent = 1656906628428;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
export const acceptedRequests: AcceptedCase[] = [
  {
    // easemob/easemob-doc message_import_single.md: curl -d without a Content-Type header sends form encoding.
    name: 'the docs\' curl text example (form-encoded JSON)',
    operation: 'importUserMessage',
    body: { target: 'username2', type: 'txt', body: { msg: 'import message.' }, ext: { key1: 'value1' }, from: 'username1', msg_timestamp: sent },
    headers: form,
  },
  {
    name: 'the docs\' curl group example (form-encoded JSON)',
    operation: 'importGroupMessage',
    body: { target: '1123376564212', type: 'txt', body: { msg: 'import message.' }, from: 'username1', msg_timestamp: sent },
    headers: form,
  },
  {
    // easemob/easemob-im-server-sdk branch master: the Java SDK 1.x sends no Content-Type.
    name: 'a message without Content-Type (Java SDK 1.x transport)',
    operation: 'importUserMessage',
    body: { from: 'username1', target: 'username2', type: 'txt', body: { msg: 'hi' }, msg_timestamp: sent },
    headers: { 'content-type': null },
  },
  {
    // branch master_java_2.0, model/EMMessageContent.java: body.type, file_length, secret, size.
    name: 'a Java SDK 2.0 image message (body.type, file_length)',
    operation: 'importUserMessage',
    body: {
      from: 'username1', target: 'username2', type: 'img', is_ack_read: false, need_download: false, msg_timestamp: sent,
      body: { type: 'img', url: 'https://a1.easemob.com/org/app/chatfiles/65e54a4a', filename: 'test1.jpg', secret: 'DRGM8OZr', size: { width: 746, height: 1325 }, file_length: 128827 },
    },
  },
  {
    // Easemob-Community/easemob-go-sdk message.go, ImportMsgModel: every field, no omitempty.
    name: 'a Go SDK group message (every field of ImportMsgModel)',
    operation: 'importGroupMessage',
    body: { target: '1123376564212', type: 'audio', body: { url: 'https://cdn.example.com/a.amr', length: 10, file_length: 6630 }, from: 'username1', is_ack_read: false, msg_timestamp: sent, need_download: false },
  },
  {
    // easemob/easemob-doc message_historical.md: a video body as the history export carries it.
    name: 'a video body shaped like the history export (size, file_length, type)',
    operation: 'importGroupMessage',
    body: {
      from: 'username1', target: '1123376564212', type: 'video', msg_timestamp: sent,
      body: { file_length: 58103, filename: 'clip.mp4', length: 10, secret: 'VfEpSmSv', size: { height: 480, width: 360 }, thumb: 'https://cdn.example.com/t.jpg', thumb_secret: 'ZyebKn9p', type: 'video', url: 'https://cdn.example.com/v.mp4' },
    },
  },
  {
    name: 'a file body with file_length and body.type',
    operation: 'importUserMessage',
    body: { from: 'username1', target: 'username2', type: 'file', msg_timestamp: sent, body: { file_length: 3279, filename: 'record.md', type: 'file', url: 'http://cdn.example.com/record.md' } },
  },
  {
    // Easemob-Community/easemob-go-sdk client.go, ClientParam: ttl is a string without omitempty.
    name: 'a Go SDK token request (ttl "")',
    operation: 'getAppToken',
    body: { grant_type: 'client_credentials', client_id: 'YXA6i-Ak8Ol4Eei2l11ZjV-EAg', client_secret: 'YXA6JOMWlLap_YbI_ucz77j-4-mI0JA', ttl: '' },
  },
  {
    name: 'a token request with ttl as a digit string',
    operation: 'getAppToken',
    body: { grant_type: 'client_credentials', client_id: 'YXA6i-Ak8Ol4Eei2l11ZjV-EAg', client_secret: 'YXA6JOMWlLap_YbI_ucz77j-4-mI0JA', ttl: '3600' },
  },
  {
    // easemob/im-php-server-sdk src/Auth.php and src/Http/Http.php: form encoding.
    name: 'a PHP SDK token request (form-encoded JSON)',
    operation: 'getAppToken',
    body: { grant_type: 'client_credentials', client_id: 'YXA6i-Ak8Ol4Eei2l11ZjV-EAg', client_secret: 'YXA6JOMWlLap_YbI_ucz77j-4-mI0JA' },
    headers: form,
  },
  {
    // easemob/easemob-im-server-sdk branch master, DefaultTokenProvider.java: no Content-Type.
    name: 'a Java SDK 1.x token request (no Content-Type)',
    operation: 'getAppToken',
    body: { grant_type: 'client_credentials', client_id: 'YXA6i-Ak8Ol4Eei2l11ZjV-EAg', client_secret: 'YXA6JOMWlLap_YbI_ucz77j-4-mI0JA' },
    headers: { 'content-type': null },
  },
];

/** Bodies that are not JSON at all, sent as `application/json`: a 400 (Easemob: `json_parse`). */
export const unparsableBodies: { name: string; raw: string; status: number; headers?: Record<string, string | null> }[] = [
  { name: 'an object literal with unquoted keys', raw: "{from: 'username1'}", status: 400 },
  { name: 'a truncated document', raw: '{"from": "username1", "target":', status: 400 },
  { name: 'a form-encoded body that is not JSON', raw: 'from=username1&target=username2', status: 400, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { name: 'a body without Content-Type that is not JSON', raw: 'from=username1', status: 400, headers: { 'content-type': null } },
];

/** Requests whose headers are wrong; `headers` replace the defaults (a null removes one). */
export interface HeaderCase {
  name: string;
  headers: Record<string, string | null>;
  status: number;
}

export const authCases: HeaderCase[] = [
  { name: 'no Authorization header', headers: { authorization: null }, status: 401 },
  { name: 'Basic instead of Bearer', headers: { authorization: 'Basic dXNlcjpwYXNz' }, status: 401 },
  { name: 'Bearer without a token', headers: { authorization: 'Bearer' }, status: 401 },
  { name: 'a bare token without the Bearer scheme', headers: { authorization: 'YWMtExample' }, status: 401 },
];

export const mediaTypeCases: HeaderCase[] = [
  { name: 'text/plain body', headers: { 'content-type': 'text/plain' }, status: 415 },
];

/**
 * Every status each import operation declares besides 200, with its named examples in
 * document order (the first is what `Prefer: code=N` alone returns). A test checks this
 * list against the bundle, so a response added to the spec needs a row here.
 */
export const declaredErrors: Record<number, string[]> = {
  400: ['invalidRequestBody', 'illegalArgument', 'typeNotAllowEmpty', 'jsonParse'],
  401: ['expiredToken', 'badAccessToken', 'otherClusterToken'],
  403: ['forbiddenOp'],
  404: ['applicationNotFound', 'serviceResourceNotFound'],
  413: ['requestEntityTooLarge'],
  415: ['unsupportedMediaType'],
  429: ['reachLimit', 'resourceLimited'],
  500: ['internalError'],
  502: ['badGateway'],
  503: ['serviceUnavailable'],
  504: ['gatewayTimeout'],
};

/** The token endpoint: its example is accepted, invalid credentials bodies are rejected. */
export const tokenExample = 'clientCredentials';
export const tokenResponseFields: Record<string, 'string' | 'number'> = {
  access_token: 'string',
  expires_in: 'number',
  application: 'string',
};

export const invalidTokenBodies: BodyCase[] = [
  { name: 'missing client_secret', example: 'clientCredentials', unset: ['client_secret'], status: 400, names: ['client_secret'] },
  { name: 'missing client_id', example: 'clientCredentials', unset: ['client_id'], status: 400, names: ['client_id'] },
  { name: 'grant_type password', example: 'clientCredentials', set: { grant_type: 'password' }, status: 400, names: ['grant_type'] },
  { name: 'negative ttl', example: 'clientCredentials', set: { ttl: -1 }, status: 400, names: ['ttl'] },
  { name: 'ttl that is not digits', example: 'clientCredentials', set: { ttl: '1h' }, status: 400, names: ['ttl'] },
  { name: 'unknown field (scope)', example: 'clientCredentials', set: { scope: 'all' }, status: 400, names: ['scope'] },
];

/** Statuses (and examples) the token endpoint declares besides 200. */
export const declaredTokenErrors: Record<number, string[]> = {
  400: ['invalidRequestBody', 'illegalArgument', 'typeNotAllowEmpty', 'jsonParse'],
  401: ['expiredToken', 'badAccessToken', 'otherClusterToken'],
  404: ['applicationNotFound', 'serviceResourceNotFound'],
  415: ['unsupportedMediaType'],
  429: ['reachLimit', 'resourceLimited'],
  500: ['internalError'],
  503: ['serviceUnavailable'],
};
