import type { JobStore } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { describeEachStore, type TestDatabase } from '../../helpers/testDatabases';
import { useTempDatabase } from './tempStore';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachStore('leases (work one replica does at a time)', (kind) => {
  const current = useTempDatabase(kind);
  let db: TestDatabase;
  const stores: JobStore[] = [];
  const open = async () => {
    const store = await openStore(db.url);
    stores.push(store);
    return store;
  };
  beforeEach(() => {
    db = current();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('gives a lease to one of two replicas; the holder renews it, the other cannot take it', async () => {
    const one = await open();
    const two = await open();
    const claims = await Promise.all([one.claimLease('poll:j1', 'one', 5000), two.claimLease('poll:j1', 'two', 5000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const [holder, holderName, other, otherName] = claims[0] ? [one, 'one', two, 'two'] : [two, 'two', one, 'one'];
    expect(await holder.claimLease('poll:j1', holderName, 5000)).toBe(true);
    expect(await other.claimLease('poll:j1', otherName, 5000)).toBe(false);
    // another name is another piece of work
    expect(await other.claimLease('poll:j2', otherName, 5000)).toBe(true);
  });

  it('lets another replica take a lease once it has expired, and not before', async () => {
    const one = await open();
    const two = await open();
    expect(await one.claimLease('poll:j1', 'one', 300)).toBe(true);
    expect(await two.claimLease('poll:j1', 'two', 300)).toBe(false);
    await sleep(450);
    expect(await two.claimLease('poll:j1', 'two', 300)).toBe(true);
    // the old holder has lost it: its renewal fails
    expect(await one.claimLease('poll:j1', 'one', 300)).toBe(false);
  });

  it('frees a released lease at once, and ignores a release by someone who does not hold it', async () => {
    const one = await open();
    const two = await open();
    expect(await one.claimLease('poll:j1', 'one', 60_000)).toBe(true);
    await two.releaseLease('poll:j1', 'two');
    expect(await two.claimLease('poll:j1', 'two', 60_000)).toBe(false);
    await one.releaseLease('poll:j1', 'one');
    expect(await two.claimLease('poll:j1', 'two', 60_000)).toBe(true);
  });
});
