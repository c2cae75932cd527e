// What a source mapper returns for one record of an export: the lines it becomes (ids still the source's own)
// and, when it becomes none or loses something, why.
import type { ChatType } from '../spec.js';

export const SOURCES = ['easemob', 'tencent', 'rongcloud', 'slack'] as const;
export type SourceName = (typeof SOURCES)[number];

/** One line of our JSON Lines before ids are mapped and timestamps made strictly increasing. */
export interface Draft {
  chat_type: ChatType;
  /** The source's own message id, prefixed by the source (`easemob:...`): stable across re-exports. */
  source_id: string;
  /** Sender, the source's user id. */
  from: string;
  /** Receiver (single chat), the source's user id; or the source's group id (group). */
  target: string;
  /** Another name the group map may use for `target` (a Slack channel's name). */
  targetAlias?: string;
  type: string;
  body: Record<string, unknown>;
  ext?: Record<string, unknown>;
  /** Unix milliseconds as the source has it. */
  ts: number;
  /** Orders messages of the same millisecond (a sequence number from the source); file order comes after it. */
  seq?: number;
}

/** Attachments that will not download as they are: each kind is counted and explained in the report. */
export type AttachmentIssue = 'signed_url' | 'auth_required' | 'share_secret';

export interface Mapped {
  drafts: Draft[];
  /** Why the record gave no line (counted per reason). */
  skip?: string;
  /** What was lost mapping it, one entry per kind (counted). */
  lossy?: string[];
  /** Worth counting but neither lost nor skipped (e.g. a message sent by `admin`). */
  notes?: string[];
  attachments?: AttachmentIssue[];
  /** A recall: the source id of the message to leave out. */
  recall?: string;
}

/** Where a record came from and what the source knows about its conversation (Slack: from the metadata files). */
export interface RecordContext {
  /** Text before the JSON object on its line (RongCloud's timestamp wrapper). */
  prefix: string;
  conversation?: { id: string; name?: string; kind: 'single' | 'group'; members?: string[] };
}

export const skip = (reason: string, more: Partial<Mapped> = {}): Mapped => ({ drafts: [], skip: reason, ...more });
