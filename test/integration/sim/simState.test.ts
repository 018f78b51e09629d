import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOrganisation } from '../../../src/sim/organisation';
import { startSimulator, type Simulator } from '../../../src/sim/simulator';
import { loadSimState, persistedJobs } from '../../../src/sim/simState';

/** The simulated organisation's state survives a restart only when a file is named for it. */

const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';
const q = '?emApplicationtoken=dev-token';

async function start(sim: Simulator): Promise<number> {
  const res = await fetch(`${sim.url}obmMigration/start${q}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fromEventId: FROM, toEventId: TO }),
  });
  return res.status;
}
const status = async (sim: Simulator) => (await fetch(`${sim.url}obmMigration/status${q}`)).json();

describe('the simulator state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-simstate-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the running job and its progress across a restart when asked, and nothing otherwise', async () => {
    const file = path.join(dir, 'sim.json');
    const first = await startSimulator({ speed: 10, registrations: 1000, ...persistedJobs(file, loadSimState(file)) });
    expect(await start(first)).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    const before = (await status(first)) as { processed: number };
    await first.close();

    const again = await startSimulator({ speed: 10, registrations: 1000, ...persistedJobs(file, loadSimState(file)) });
    const after = (await status(again)) as { status: string; fromEventId: string; processed: number };
    expect(after).toMatchObject({ status: 'Running', fromEventId: FROM });
    expect(after.processed).toBeGreaterThanOrEqual(before.processed);
    // still one job at a time: a second start is refused
    expect(await start(again)).toBe(409);
    await again.close();

    const plain = await startSimulator({});
    expect(await status(plain)).toEqual({ status: 'None' });
    await plain.close();
  });

  it('keeps the Dataverse rows the bot created, for the organisation', async () => {
    const file = path.join(dir, 'org.json');
    const org = await startOrganisation({ stateFile: file });
    org.dataverse.rows('msevtmgt_events').push({ msevtmgt_eventid: 'made-by-the-bot', msevtmgt_name: 'New draft' });
    await org.close();
    const again = await startOrganisation({ stateFile: file });
    expect(again.dataverse.rows('msevtmgt_events').some((r) => r.msevtmgt_eventid === 'made-by-the-bot')).toBe(true);
    await again.close();
    const fresh = await startOrganisation({});
    expect(fresh.dataverse.rows('msevtmgt_events').some((r) => r.msevtmgt_eventid === 'made-by-the-bot')).toBe(false);
    await fresh.close();
  });

  it('refuses a file it cannot use, saying which and how to start afresh', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"version": 1, "jobs": [{"fromEventId": 3}]}');
    expect(() => loadSimState(file)).toThrow(/bad\.json cannot be used \(job 1 is not a simulated job\).*--fresh/);
    fs.writeFileSync(file, 'not json');
    expect(() => loadSimState(file)).toThrow(/it is not JSON/);
    expect(loadSimState(path.join(dir, 'none.json'))).toBeUndefined();
  });
});
