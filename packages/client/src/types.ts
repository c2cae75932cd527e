import type { components } from './generated/openapi.js';

export type { components, operations, paths } from './generated/openapi.js';

type Schemas = components['schemas'];
/** One message to import: a union that narrows on `type`. */
export type ImportMessage = Schemas['ImportMessage'];
/** The eight message types, read off the union so it can never disagree with it. */
export type MessageType = ImportMessage['type'];
/** A group message: `target` is the group id, a numeric string (the type cannot say numeric). */
export type GroupImportMessage = Schemas['GroupImportMessage'];
export type TextMessage = Schemas['TextMessage'];
export type ImageMessage = Schemas['ImageMessage'];
export type AudioMessage = Schemas['AudioMessage'];
export type VideoMessage = Schemas['VideoMessage'];
export type FileMessage = Schemas['FileMessage'];
export type LocationMessage = Schemas['LocationMessage'];
export type CommandMessage = Schemas['CommandMessage'];
export type CustomMessage = Schemas['CustomMessage'];
export type TextBody = Schemas['TextBody'];
export type ImageBody = Schemas['ImageBody'];
export type AudioBody = Schemas['AudioBody'];
export type VideoBody = Schemas['VideoBody'];
export type FileBody = Schemas['FileBody'];
export type LocationBody = Schemas['LocationBody'];
export type CommandBody = Schemas['CommandBody'];
export type CustomBody = Schemas['CustomBody'];
export type ResponseEnvelope = Schemas['ResponseEnvelope'];
export type ImportMessageResponse = Schemas['ImportMessageResponse'];
export type ImportResult = Schemas['ImportResult'];
export type ErrorBody = Schemas['ErrorBody'];
export type TokenRequest = Schemas['TokenRequest'];
export type TokenResponse = Schemas['TokenResponse'];
