import fc from 'fast-check';
import { backoffDelay, DEFAULT_RETRY, isTransientStatus, parseRetryAfter } from '../../../src/events-api/retry';

describe('retry policy', () => {
  it('treats 429, 502, 503 and 504 as transient and no other status', () => {
    const transient = [429, 502, 503, 504];
    for (let s = 200; s < 600; s++) expect(isTransientStatus(s)).toBe(transient.includes(s));
  });

  it('waits a random time under an exponentially growing ceiling capped at maxDelayMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, DEFAULT_RETRY, () => r);
        const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
      }),
    );
    expect(backoffDelay(3, DEFAULT_RETRY, () => 0.999999)).toBe(1999);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(['2'], now)).toBe(2000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
