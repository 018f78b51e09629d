import fs from 'node:fs';
import { isDuplicateRequest } from '../../../src/migration/duplicateRequest';
import { openStore } from '../../../src/store/openStore';
import { nextJob } from '../../helpers/jobs';
import { audit, tempDbFile } from './tempStore';

/** One job per request message, decided by the database: two replicas opening the same file agree. */
describe('SQLite job store: one job per request activity', () => {
  it('refuses a second job for the same conversation and activity, from another connection, naming the first', async () => {
    const db = tempDbFile();
    const one = await openStore(db.url);
    const two = await openStore(db.url);
    try {
      const first = await one.createJob(nextJob({ requestActivityId: 'act-7', conversationId: 'conv-a' }), audit());
      const again = two.createJob(nextJob({ requestActivityId: 'act-7', conversationId: 'conv-a' }), audit());
      const err = await again.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDuplicateRequest(err)).toBe(true);
      expect(isDuplicateRequest(err) && err.existing.id).toBe(first.id);
      expect(await two.jobForRequest('conv-a', 'act-7')).toMatchObject({ id: first.id });

      // Activity ids are unique only within a conversation; jobs without one are never duplicates.
      await two.createJob(nextJob({ requestActivityId: 'act-7', conversationId: 'conv-b' }), audit());
      await two.createJob(nextJob(), audit());
      await two.createJob(nextJob(), audit());
      expect(await one.jobForRequest('conv-c', 'act-7')).toBeUndefined();
    } finally {
      await one.close();
      await two.close();
      fs.rmSync(db.dir, { recursive: true, force: true });
    }
  });
});
