import { throughputText } from '../../../src/words/format';

/** The progress card's speed says what is counted, in a number a person reads at a glance. */

describe('speed', () => {
  it('counts registrations a second when there is at least one a second', () => {
    expect(throughputText(2)).toBe('2 registrations a second');
    expect(throughputText(1)).toBe('1 registration a second');
    expect(throughputText(12.4)).toBe('12 registrations a second');
  });

  it('says how often one arrives when slower than one a second', () => {
    expect(throughputText(1 / 7)).toBe('about 1 every 7 seconds');
    expect(throughputText(0.5)).toBe('about 1 every 2 seconds');
    expect(throughputText(1 / 600)).toBe('about 1 every 10 minutes');
  });

  it('says nothing without a measured speed', () => {
    expect(throughputText(undefined)).toBeUndefined();
    expect(throughputText(0)).toBeUndefined();
  });
});
