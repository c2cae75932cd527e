// What the journal's word about a line means for this run: the one table of rules that `run`, `retry` and
// `run --dry-run` share.
import { LineState } from '../journal.js';

export interface Policy {
  onUncertain: 'report' | 'retry';
  /** Hold a conversation after its first line that is not imported. */
  hold: boolean;
  /** `retry`: failed and held lines go again; uncertain ones as the user decided. */
  retry?: { uncertain?: 'resend' | 'imported' };
}

export type Decision =
  /** Send it; `resent` when an earlier send may have stored it. */
  | { do: 'send'; resent: boolean }
  /** Settled by an earlier run (imported, failed, uncertain, held): count it; `block` holds its conversation. */
  | { do: 'settled'; block: boolean }
  /** In flight when an earlier run stopped, not to be resent: uncertain now. */
  | { do: 'interrupted' }
  /** Uncertain, and the user says it arrived. */
  | { do: 'mark-imported' };

export function decide(state: LineState, p: Policy): Decision {
  switch (state) {
    case LineState.Imported:
      return { do: 'settled', block: false };
    case LineState.InFlight:
      return p.onUncertain === 'retry' ? { do: 'send', resent: true } : { do: 'interrupted' };
    case LineState.Failed:
      return p.retry ? { do: 'send', resent: false } : { do: 'settled', block: true };
    case LineState.Held:
      return p.retry || !p.hold ? { do: 'send', resent: false } : { do: 'settled', block: true };
    case LineState.Uncertain:
      if (p.retry?.uncertain === 'resend') return { do: 'send', resent: true };
      if (p.retry?.uncertain === 'imported') return { do: 'mark-imported' };
      return { do: 'settled', block: true };
    default:
      return { do: 'send', resent: false };
  }
}
