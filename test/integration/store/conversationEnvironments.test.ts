import fs from 'node:fs';
import { openStore } from '../../../src/store/openStore';
import { tempDbFile } from './tempStore';

describe('SQLite job store: a conversation default environment (`use`)', () => {
  it('keeps one name per conversation, replaced by the next `use`, across a reopen', async () => {
    const db = tempDbFile();
    try {
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
    } finally {
      fs.rmSync(db.dir, { recursive: true, force: true });
    }
  });
});
