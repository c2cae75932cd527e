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
}

const seventeenExts = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`key${i + 1}`, 'value']));

/** Invalid import bodies: each is a 400 that names the offending field. */
export const invalidImportBodies: BodyCase[] = [
  { name: 'missing from', example: 'txt', unset: ['from'], status: 400, names: ['from'] },
  { name: 'missing target', example: 'txt', unset: ['target'], status: 400, names: ['target'] },
  { name: 'missing type', example: 'txt', unset: ['type'], status: 400, names: ['type'] },
  { name: 'missing body', example: 'txt', unset: ['body'], status: 400, names: ['body'] },
  { name: 'empty request object', example: 'txt', replace: {}, status: 400, names: ['from', 'target', 'type', 'body'] },
  { name: 'empty message body', example: 'txt', set: { body: {} }, status: 400, names: ['body', 'body.msg'] },
  { name: 'empty text', example: 'txt', set: { 'body.msg': '' }, status: 400, names: ['body.msg'] },
  { name: 'unknown type', example: 'txt', set: { type: 'sticker' }, status: 400, names: ['type'] },
  {
    name: 'legacy Java SDK shape (type "text" with a msg object)',
    example: 'txt',
    replace: { from: 'username1', target: 'username2', type: 'text', msg: { type: 'text', msg: 'hello' } },
    status: 400,
    names: ['type', 'msg', 'body'],
  },
  { name: 'msg_timestamp 0', example: 'txt', set: { msg_timestamp: 0 }, status: 400, names: ['msg_timestamp'] },
  { name: 'msg_timestamp 999', example: 'txt', set: { msg_timestamp: 999 }, status: 400, names: ['msg_timestamp'] },
  { name: 'misspelled body field (filname)', example: 'img', unset: ['body.filename'], set: { 'body.filname': 'a.jpg' }, status: 400, names: ['body.filname'] },
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
];

/** Bodies that are not JSON at all, sent as `application/json`: a 400 (Easemob: `json_parse`). */
export const unparsableBodies: { name: string; raw: string; status: number }[] = [
  { name: 'an object literal with unquoted keys', raw: "{from: 'username1'}", status: 400 },
  { name: 'a truncated document', raw: '{"from": "username1", "target":', status: 400 },
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
  400: ['invalidRequestBody', 'illegalArgument', 'jsonParse'],
  401: ['expiredToken', 'badAccessToken'],
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
  { name: 'unknown field (scope)', example: 'clientCredentials', set: { scope: 'all' }, status: 400, names: ['scope'] },
];

/** Statuses (and examples) the token endpoint declares besides 200. */
export const declaredTokenErrors: Record<number, string[]> = {
  400: ['invalidRequestBody', 'illegalArgument', 'jsonParse'],
  401: ['expiredToken', 'badAccessToken'],
  404: ['applicationNotFound', 'serviceResourceNotFound'],
  415: ['unsupportedMediaType'],
  429: ['reachLimit', 'resourceLimited'],
  500: ['internalError'],
  503: ['serviceUnavailable'],
};
