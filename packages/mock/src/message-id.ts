// Message IDs shaped like Easemob's: decimal strings of 19 digits (beyond 2^53), increasing. The time in
// milliseconds shifted left by 22 bits leaves room for four million IDs per millisecond.
let last = 0n;

/** A fresh ID, greater than every ID this process has handed out before. */
export function nextMessageId(now = Date.now()): string {
  const fromClock = BigInt(now) << 22n;
  last = fromClock > last ? fromClock : last + 1n;
  return last.toString();
}
