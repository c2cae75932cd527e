// `easemob-import retry STATE_DIR`: sends the failed and held lines of an import again (after they were fixed in
// the input, or in a corrected file given with --input), and settles its uncertain lines as the user decides:
// `--uncertain resend` or `--uncertain imported`. Same journal, same order rules, same exactly-once bookkeeping
// as `run`; the lines go in the order of the file read.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { JOURNAL_FILE } from '../journal.js';
import { savedBinding } from '../state/binding.js';

export interface RetryFlags {
  input?: string;
  uncertain?: 'resend' | 'imported';
}

/** The input a retry reads, and the line options the import was last run with. */
export function retrySettings(stateDir: string, flags: RetryFlags) {
  if (!existsSync(join(stateDir, JOURNAL_FILE))) throw new UsageError(`${stateDir} has no journal: no run has used this state directory, so there is nothing to retry`);
  const saved = savedBinding(stateDir);
  const file = flags.input ?? saved?.path;
  if (!file) throw new UsageError(`${stateDir} does not say which file it imported (it was started from stdin or by an older version); pass the input with --input FILE`);
  const inPlace = flags.input === undefined || (saved?.path !== undefined && resolve(flags.input) === saved.path);
  return {
    file,
    retry: { inPlace, ...(flags.uncertain && { uncertain: flags.uncertain }) },
    fixTimestamps: saved?.options?.fix_timestamps ?? false,
    stampExt: saved?.options?.stamp_ext ?? undefined,
    onUncertain: saved?.options?.on_uncertain ?? 'report',
  };
}
