import { countDue, wantsDataverseCount } from '../../../src/migration/dataverseCounter';
import { missingContacts, missingNames } from '../../../src/migration/reconciliation';
import type { Job } from '../../../src/migration/types';
import { missingPages, reconciliationText } from '../../../src/words/catalogue';

const reg = (n: number, contact: string | null, name?: string) => ({
  registrationId: `r${n}`,
  contactId: contact,
  ...(name ? { contactName: name } : {}),
});

describe('reconciliation', () => {
  it('lists the source contacts with no registration in the target, by name, sorted', () => {
    const source = [reg(1, 'c1', 'Zoe'), reg(2, 'c2', 'Adam'), reg(3, 'c3'), reg(4, null)];
    const target = [reg(9, 'c1')];
    expect(missingNames(missingContacts(source, target))).toEqual(['Adam', 'contact c3']);
  });

  it('gives the FAQ advice by the numbers: a few by hand, many a rerun', () => {
    const base = {
      at: '2026-12-01T00:00:00Z',
      registrations: { source: 20, target: 17 },
      sessionRegistrations: {},
      attendeePasses: {},
    };
    expect(reconciliationText({ ...base, missingCount: 3, missingNames: ['A', 'B', 'C'] })).toContain('by hand');
    const many = reconciliationText({ ...base, missingCount: 40, missingNames: Array(10).fill('N') });
    expect(many).toContain('and 30 more');
    expect(many).toContain('new draft real-time event');
    expect(reconciliationText({ ...base, missingCount: 0, missingNames: [] })).toContain('every registration');
    expect(reconciliationText({ ...base, missingNames: [], why: 'no Read' })).toContain('could not be verified');
  });

  it('pages `missing` a hundred names a message', () => {
    const job = { fromEventId: 'a', toEventId: 'b' } as Job;
    const names = Array.from({ length: 250 }, (_, i) => `Person ${i}`);
    const pages = missingPages(job, names);
    expect(pages).toHaveLength(3);
    expect(pages[2]).toContain('201-250 of 250');
  });
});

describe('progress counted in Dataverse', () => {
  it('counts only while the service gives no counts, once every few polls', () => {
    const running = { state: 'running', progress: { percent: 40 } } as Job;
    expect(wantsDataverseCount(running)).toBe(true);
    expect(wantsDataverseCount({ ...running, progress: { processed: 10 } } as Job)).toBe(false);
    expect(countDue(undefined)).toBe(true);
    expect(countDue(1)).toBe(false);
    expect(countDue(3)).toBe(true);
  });
});
