import { describe, expect, it } from 'vitest';
import { Pacer } from '../src/pace.js';

describe('Pacer', () => {
  it('never grants more than `rate` in any one-second window, and keeps close to the rate', async () => {
    const pacer = new Pacer(50);
    const grants: number[] = [];
    const start = performance.now();
    await Promise.all(Array.from({ length: 120 }, () => pacer.take().then(() => grants.push(performance.now()))));
    const elapsed = (performance.now() - start) / 1000;
    for (let i = 50; i < grants.length; i++) expect(grants[i] - grants[i - 50]).toBeGreaterThanOrEqual(1000);
    // 120 grants: the first is immediate, then one per 20 ms (plus the margin per window)
    expect(elapsed).toBeGreaterThan(2.3);
    expect(elapsed).toBeLessThan(3.5); // generous: timers run late on a busy machine
  });

  it('spaces grants instead of bursting a whole second at once', async () => {
    const pacer = new Pacer(20);
    const grants: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => pacer.take().then(() => grants.push(performance.now()))));
    // on schedule: one per 50 ms; a late timer is caught up at no more than twice the rate
    for (let i = 1; i < grants.length; i++) expect(grants[i] - grants[i - 1]).toBeGreaterThanOrEqual(24);
    expect(grants[5] - grants[0]).toBeGreaterThanOrEqual(5 * 50 - 5);
  });

  it('is off at rate 0, and rejects waiters when their signal aborts', async () => {
    const off = new Pacer(0);
    expect(off.enabled).toBe(false);
    const t = performance.now();
    await Promise.all(Array.from({ length: 1000 }, () => off.take()));
    expect(performance.now() - t).toBeLessThan(200);

    const pacer = new Pacer(1);
    await pacer.take();
    const controller = new AbortController();
    const waiting = pacer.take(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
