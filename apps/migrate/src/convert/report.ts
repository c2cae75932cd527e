// The ledger of a conversion: what was written, what was skipped and why, what was lost or renamed, and which
// attachments need action. Written as convert-report.json beside the output and printed as a summary.
import type { GroupIds, UserIds } from './ids.js';
import type { AttachmentIssue } from './types.js';

/** Bad records kept in the report (all are counted). */
export const MAX_LISTED = 1000;

export const ATTACHMENT_ADVICE: Record<AttachmentIssue, string> = {
  signed_url:
    'signed URLs expire (export downloads, COS, OSS, S3 and Qiniu links): import these lines with need_download: true before the links expire, or copy the files to storage you control and replace the URLs',
  auth_required:
    "Slack's url_private needs a token: download each file with a Slack token (Authorization: Bearer ...), host it where Easemob can reach it, and replace body.url",
  share_secret:
    "Easemob files restricted by a share secret: body.secret is kept, and the file downloads from the source app as {url}?share-secret={secret} only while that app keeps it; to keep it for good, download and re-host it",
};

const inc = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
const obj = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]));
const iso = (t: number) => new Date(t).toISOString();

export class ConvertReport {
  records = 0;
  written = 0;
  readonly byType = new Map<string, number>();
  readonly byChatType = { single: 0, group: 0 };
  readonly skipped = new Map<string, { count: number; first: string }>();
  readonly bad: Array<{ file: string; line: number; problem: string }> = [];
  badCount = 0;
  readonly lossy = new Map<string, number>();
  readonly notes = new Map<string, number>();
  readonly attachments = new Map<AttachmentIssue, { count: number; example: string }>();
  timestampsRaised = 0;
  duplicates = 0;
  recalled = 0;
  private first = Infinity;
  private last = -Infinity;

  /** A record or line left out. Reasons starting `bad record` (and unreadable ones) are also listed. */
  skip(reason: string, file: string, line: number, detail?: string) {
    const s = this.skipped.get(reason);
    if (s) s.count++;
    else this.skipped.set(reason, { count: 1, first: `${file}:${line}` });
    if (reason.startsWith('bad record') || reason.startsWith('rejected')) {
      this.badCount++;
      if (this.bad.length < MAX_LISTED) this.bad.push({ file, line, problem: detail ?? reason });
    }
  }

  lose(kinds: string[] = []) {
    for (const k of kinds) inc(this.lossy, k);
  }

  note(kinds: string[] = []) {
    for (const k of kinds) inc(this.notes, k);
  }

  attachment(kind: AttachmentIssue, sourceId: string) {
    const a = this.attachments.get(kind);
    if (a) a.count++;
    else this.attachments.set(kind, { count: 1, example: sourceId });
  }

  wrote(chatType: 'single' | 'group', type: string, ts: number) {
    this.written++;
    this.byChatType[chatType]++;
    inc(this.byType, type);
    this.first = Math.min(this.first, ts);
    this.last = Math.max(this.last, ts);
  }

  toJSON(o: { source: string; inputs: number; output: string; users: UserIds; groups: GroupIds; elapsedMs: number }) {
    const unmapped = [...o.groups.unmapped].sort((a, b) => b[1] - a[1]).map(([id, messages]) => ({ id, messages }));
    return {
      source: o.source,
      inputs: o.inputs,
      output: o.output,
      records: this.records,
      lines_written: this.written,
      lines_by_chat_type: this.byChatType,
      lines_by_type: obj(this.byType),
      skipped: Object.fromEntries([...this.skipped].sort((a, b) => b[1].count - a[1].count)),
      bad_records: { count: this.badCount, listed: this.bad },
      unmapped_groups: unmapped,
      groups_to_create: unmapped.map((g) => g.id),
      renamed_users: { count: o.users.renamed.size, map: Object.fromEntries(o.users.renamed) },
      lossy: obj(this.lossy),
      notes: obj(this.notes),
      attachments: Object.fromEntries([...this.attachments].map(([k, v]) => [k, { ...v, what_to_do: ATTACHMENT_ADVICE[k] }])),
      timestamps_raised: this.timestampsRaised,
      duplicates_dropped: this.duplicates,
      recalled_dropped: this.recalled,
      time_range: this.written ? { first: iso(this.first), last: iso(this.last) } : null,
      elapsed_ms: o.elapsedMs,
    };
  }

  summary(r: ReturnType<ConvertReport['toJSON']>, reportPath: string): string {
    const list = (m: Record<string, number>) => Object.entries(m).map(([k, n]) => `${k} ${n}`).join(', ');
    const out = [
      `${r.output}: ${r.lines_written} lines (single ${r.lines_by_chat_type.single}, group ${r.lines_by_chat_type.group}) from ${r.records} records in ${r.inputs} files (${r.source}, ${(r.elapsed_ms / 1000).toFixed(1)}s)`,
    ];
    if (r.lines_written) out.push(`  types: ${list(r.lines_by_type)}`);
    if (r.time_range) out.push(`  from ${r.time_range.first} to ${r.time_range.last}`);
    const skipped = Object.entries(r.skipped);
    if (skipped.length) out.push(`  skipped ${skipped.reduce((n, [, s]) => n + s.count, 0)}: ${skipped.map(([k, s]) => `${k} ${s.count}`).join('; ')}`);
    if (r.bad_records.count) out.push(`  bad records ${r.bad_records.count}, first: ${r.bad_records.listed.slice(0, 3).map((b) => `${b.file}:${b.line}`).join(', ')}`);
    if (r.unmapped_groups.length) {
      const left = r.unmapped_groups.reduce((n, g) => n + g.messages, 0);
      const shown = r.unmapped_groups.slice(0, 10).map((g) => `${g.id} (${g.messages})`).join(', ');
      out.push(`  groups without a --group-map entry: ${r.unmapped_groups.length}, ${left} message${left === 1 ? '' : 's'} left out: ${shown}${r.unmapped_groups.length > 10 ? ', ...' : ''}`);
      out.push('    create them in Easemob, add them to the group map and convert again (list: groups_to_create in the report)');
    }
    if (r.renamed_users.count) {
      const shown = Object.entries(r.renamed_users.map).slice(0, 5).map(([a, b]) => `${a} → ${b}`).join(', ');
      out.push(`  renamed users ${r.renamed_users.count}: ${shown}${r.renamed_users.count > 5 ? ', ...' : ''}`);
    }
    if (Object.keys(r.lossy).length) out.push(`  lossy: ${list(r.lossy)}`);
    if (Object.keys(r.notes).length) out.push(`  notes: ${list(r.notes)}`);
    for (const [kind, a] of Object.entries(r.attachments)) out.push(`  attachments ${kind} ${a.count}: ${a.what_to_do}`);
    const fixes = [
      r.timestamps_raised && `${r.timestamps_raised} timestamps raised to keep each conversation strictly increasing`,
      r.duplicates_dropped && `${r.duplicates_dropped} duplicates dropped`,
      r.recalled_dropped && `${r.recalled_dropped} recalled messages dropped`,
    ].filter(Boolean);
    if (fixes.length) out.push(`  ${fixes.join('; ')}`);
    out.push(`  report: ${reportPath}`);
    return `${out.join('\n')}\n`;
  }
}
