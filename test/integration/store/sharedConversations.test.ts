import type { JobStore } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { describeEachStore, type TestDatabase } from '../../helpers/testDatabases';
import { useTempDatabase } from './tempStore';

describeEachStore('conversation references shared by two processes', (kind) => {
  const current = useTempDatabase(kind);
  let db: TestDatabase;
  const stores: JobStore[] = [];
  beforeEach(() => {
    db = current();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  const open = async () => {
    const store = await openStore(db.url);
    stores.push(store);
    return store;
  };

  it("sees the other's reference and block, and a reference saved again lifts a block the other wrote", async () => {
    const one = await open();
    const two = await open();
    const reference = { conversation: { id: 'conv-1' }, serviceUrl: 'https://smba.example/emea/' };
    await one.saveConversationReference('conv-1', reference);
    expect(await two.getConversationReference('conv-1')).toEqual(reference);

    await two.markConversationBlocked('conv-1', '403');
    expect(await one.isConversationBlocked('conv-1')).toBe(true);
    // the bot was added back and `one` gets the same reference it saved before: the block is lifted
    await one.saveConversationReference('conv-1', reference);
    expect(await two.isConversationBlocked('conv-1')).toBe(false);

    await two.deleteConversationReference('conv-1');
    expect(await one.getConversationReference('conv-1')).toBeUndefined();
  });
});
