import type { ChatType } from './spec.js';

/**
 * The conversation a message belongs to, as Easemob orders imports: single chat is the unordered pair of users
 * (a->b and b->a share one history), a group is its id. JSON keeps the key unambiguous whatever the ids contain.
 */
export function conversationKey(chatType: ChatType, from: string, target: string): string {
  if (chatType === 'group') return `g${JSON.stringify(target)}`;
  return `s${JSON.stringify(from < target ? [from, target] : [target, from])}`;
}

/** The conversation of a parsed line that failed validation, when its fields still name one. */
export function conversationOf(line: Record<string, unknown> | undefined): string | undefined {
  const { chat_type: chatType, from, target } = line ?? {};
  if ((chatType !== 'single' && chatType !== 'group') || typeof from !== 'string' || typeof target !== 'string') return undefined;
  return conversationKey(chatType, from, target);
}
