// The one table of what the journal's word about a line means for run, retry and dry run.
import { describe, expect, it } from 'vitest';
import { LineState } from '../../src/journal.js';
import { decide, type Decision, type Policy } from '../../src/send/decide.js';

const run: Policy = { onUncertain: 'report', hold: true };
const cases: Array<[string, LineState, Policy, Decision]> = [
  ['never sent', LineState.None, run, { do: 'send', resent: false }],
  ['imported', LineState.Imported, run, { do: 'settled', block: false }],
  ['in flight at a crash, report', LineState.InFlight, run, { do: 'interrupted' }],
  ['in flight at a crash, --on-uncertain retry', LineState.InFlight, { ...run, onUncertain: 'retry' }, { do: 'send', resent: true }],
  ['failed, run', LineState.Failed, run, { do: 'settled', block: true }],
  ['failed, retry', LineState.Failed, { ...run, retry: {} }, { do: 'send', resent: false }],
  ['held, run', LineState.Held, run, { do: 'settled', block: true }],
  ['held, run --on-failure continue', LineState.Held, { ...run, hold: false }, { do: 'send', resent: false }],
  ['held, retry', LineState.Held, { ...run, retry: {} }, { do: 'send', resent: false }],
  ['uncertain, run', LineState.Uncertain, run, { do: 'settled', block: true }],
  ['uncertain, retry without a decision', LineState.Uncertain, { ...run, retry: {} }, { do: 'settled', block: true }],
  ['uncertain, retry --uncertain resend', LineState.Uncertain, { ...run, retry: { uncertain: 'resend' } }, { do: 'send', resent: true }],
  ['uncertain, retry --uncertain imported', LineState.Uncertain, { ...run, retry: { uncertain: 'imported' } }, { do: 'mark-imported' }],
  ['imported, retry --uncertain resend', LineState.Imported, { ...run, retry: { uncertain: 'resend' } }, { do: 'settled', block: false }],
];

describe('decide', () => {
  it.each(cases)('%s', (_name, state, policy, expected) => {
    expect(decide(state, policy)).toEqual(expected);
  });
});
