import { draftEventId } from '../../../src/migration/draftTarget';
import type { JobStore } from '../../../src/migration/types';
import { nextJob } from '../../helpers/jobs';
import { describeEachStore } from '../../helpers/testDatabases';
import { audit, useTempStore } from './tempStore';

/** `migrate <id> new`: what the bot will make is kept with the job, and its creation recorded once, in both stores. */
describeEachStore('the made real-time event', (kind) => {
  const current = useTempStore(kind);
  let store: JobStore;
  beforeEach(() => {
    store = current();
  });

  const spec = { name: "Contoso's Summit", startDate: '2027-03-10T09:00:00Z', endDate: null, timeZone: 110 };

  it('keeps the derived target id and what will be made, and records the creation against the version read', async () => {
    const id = `draft-${Math.random().toString(16).slice(2)}`;
    const job = nextJob({ id, toEventId: draftEventId(id), draftTarget: { spec } });
    const created = await store.createJob(job, audit('requested'));
    expect(await store.getJob(id)).toMatchObject({ toEventId: draftEventId(id), draftTarget: { spec } });

    const made = { spec, createdAt: '2027-01-01T00:00:00.000Z', foundExisting: false, link: 'https://x/y' };
    const recorded = await store.update(id, { draftTarget: made }, created.version);
    expect(recorded?.draftTarget).toEqual(made);
    // a caller holding the version before it writes nothing
    expect(await store.update(id, { draftTarget: { spec } }, created.version)).toBeUndefined();
    expect((await store.getJob(id))?.draftTarget).toEqual(made);
  });
});
