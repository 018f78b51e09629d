import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config';
import { buildApp, type App } from '../../../src/index';
import { createLogger } from '../../../src/logger';
import { SEED } from '../../../src/sim/dataverse/seed';
import { SIM_APP, startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';

/** The composition root builds the Dataverse reader from the configuration, and only when DATAVERSE_URL is set. */

let org: SimOrganisation;
let app: App | undefined;
let logText: string;

beforeAll(async () => {
  org = await startOrganisation();
});
afterAll(async () => {
  await org.close();
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function start(env: Record<string, string>): Promise<App> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-dv-'));
  logText = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  const config = loadConfig({
    PORT: '0',
    EVENTS_API_ENDPOINT: org.events.url,
    EVENTS_API_TOKEN: 'dev-token',
    DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
    ...env,
  });
  return buildApp(config, {
    host: '127.0.0.1',
    logger: createLogger('debug', sink),
    dataverseCredential: org.credential(),
  });
}

it('without DATAVERSE_URL the app has no Dataverse and makes no call to it', async () => {
  org.dataverse.reset();
  app = await start({ AZURE_CLIENT_ID: 'ignored' });
  expect(app.dataverse).toBeUndefined();
  expect(org.dataverse.calls).toHaveLength(0);
  expect(logText).not.toContain('Dataverse on');
});

it('with DATAVERSE_URL the app answers the facts port, and logs neither secret nor token', async () => {
  app = await start(org.env());
  const facts = await app.dataverse!.factsAbout(SEED.outboundLive, SEED.realTimeBlank);
  expect(facts.source.registrations).toEqual({ ok: true, value: 294 });
  expect(logText).toContain('Dataverse on');
  expect(logText).toContain('dataverse call');
  expect(logText).not.toContain(SIM_APP.clientSecret);
  expect(logText).not.toMatch(/sim-[0-9a-f]{48}/);
});
