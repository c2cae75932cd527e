// Which files of a Slack export hold messages, and which conversation each belongs to: the metadata files
// (users.json, channels.json, groups.json, dms.json, mpims.json) name the folders; the message files are the other
// `.json` files, `<folder>/<day>.json`.
import { UsageError } from '../errors.js';
import type { InputEntry } from './inputs.js';
import { slackConversations } from './slack.js';
import type { RecordContext } from './types.js';

const SLACK_META = new Set(['channels.json', 'groups.json', 'dms.json', 'mpims.json', 'users.json']);
const dirOf = (path: string) => path.split('/').slice(0, -1).join('/');

async function readText(e: InputEntry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await e.open(() => {})) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Slack: the metadata files (users.json, channels.json, ...) tell each folder's conversation; the message files
 * are the other `.json` files, `<folder>/<day>.json`.
 */
export async function slackFiles(entries: InputEntry[]) {
  const meta: Record<string, unknown[]> = {};
  const metaDirs = new Set<string>();
  for (const e of entries) {
    const name = e.path.split('/').pop() ?? '';
    if (!SLACK_META.has(name)) continue;
    metaDirs.add(dirOf(e.path));
    let value: unknown;
    try {
      value = JSON.parse(await readText(e));
    } catch (err) {
      throw new UsageError(`${e.name} is not a readable Slack metadata file (${(err as Error).message})`);
    }
    if (Array.isArray(value)) (meta[name.slice(0, -5)] ??= []).push(...value);
  }
  const byFolder = slackConversations(meta);
  const contexts = new Map<InputEntry, RecordContext['conversation']>();
  const files = entries.filter((e) => {
    if (!e.path.endsWith('.json') || metaDirs.has(dirOf(e.path))) return false;
    contexts.set(e, byFolder.get(dirOf(e.path).split('/').pop() ?? ''));
    return true;
  });
  return { files, contexts };
}
