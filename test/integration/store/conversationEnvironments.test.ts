import { openStore } from '../../../src/store/openStore';
import { describeEachStore, type TestDatabase } from '../../helpers/testDatabases';
import { useTempDatabase } from './tempStore';

describeEachStore('a conversation default environment (`use`)', (kind) => {
  const current = useTempDatabase(kind);
  let db: TestDatabase;
  beforeEach(() => {
    db = current();
  });

  it('keeps one name per conversation, replaced by the next `use`, across a reopen', async () => {
    const store = await openStore(db.url);
    expect(await store.getConversationEnvironment('19:general@thread.tacv2')).toBeUndefined();
    await store.setConversationEnvironment('19:general@thread.tacv2', 'test');
    await store.setConversationEnvironment('a:chat', 'prod');
    await store.setConversationEnvironment('19:general@thread.tacv2', 'prod');
    await store.close();

    const again = await openStore(db.url);
    expect(await again.getConversationEnvironment('19:general@thread.tacv2')).toBe('prod');
    expect(await again.getConversationEnvironment('a:chat')).toBe('prod');
    expect(await again.getConversationEnvironment('a:other')).toBeUndefined();
    await again.close();
  });
});
