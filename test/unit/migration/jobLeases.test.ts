import { JobLeases } from '../../../src/migration/jobLeases';
import type { JobStore } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';

describe("a replica's job leases", () => {
  let store: JobStore;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('is shared by polling and delivery in one process, and given back when neither needs it', async () => {
    const here = new JobLeases(store, 60_000, 'here');
    const there = new JobLeases(store, 60_000, 'there');
    expect(await here.hold('j1', 'poll')).toBe(true);
    expect(await here.hold('j1', 'deliver')).toBe(true);
    expect(await there.hold('j1', 'deliver')).toBe(false);

    await here.release('j1', 'deliver');
    expect(here.holds('j1')).toBe(true);
    expect(await there.hold('j1', 'poll')).toBe(false);

    await here.release('j1', 'poll');
    expect(here.holds('j1')).toBe(false);
    expect(await there.hold('j1', 'poll')).toBe(true);
  });

  it('names the jobs another replica took over when renewing, and lets go of them here', async () => {
    const here = new JobLeases(store, 200, 'here');
    const there = new JobLeases(store, 60_000, 'there');
    expect(await here.hold('j1', 'poll')).toBe(true);
    expect(await here.hold('j2', 'poll')).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // here's leases expire (a long pause, a frozen process)
    expect(await there.hold('j1', 'poll')).toBe(true);
    expect(await here.renewAll()).toEqual(['j1']);
    expect(here.holds('j1')).toBe(false);
    expect(here.holds('j2')).toBe(true);
  });

  it('gives every lease back at shutdown, so another replica need not wait for the expiry', async () => {
    const here = new JobLeases(store, 60_000, 'here');
    const there = new JobLeases(store, 60_000, 'there');
    await here.hold('j1', 'poll');
    await here.hold('j2', 'deliver');
    await here.releaseAll();
    expect(await there.hold('j1', 'poll')).toBe(true);
    expect(await there.hold('j2', 'poll')).toBe(true);
  });
});
