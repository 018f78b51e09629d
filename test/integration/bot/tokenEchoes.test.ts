import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ALL_TICKED,
  eventually,
  FROM_EVENT,
  jobIdIn,
  startHarness,
  TO_EVENT,
  contentOf,
  type Harness,
} from '../../helpers/botHarness';

/**
 * An Events API that echoes the token back in its answers, in the encodings a body can carry: the token
 * (or even its first 16 characters) never reaches a card, a message, a log line, the job or its audit trail.
 */

const TOKEN = 'SECRET+TOKEN/abc=def-0123456789xyz';
const PREFIX = TOKEN.slice(0, 16);
/** the first 16 characters of the token's base64 at each alignment inside a longer value */
const BASE64_PARTS = [0, 1, 2].map((shift) =>
  Buffer.concat([Buffer.alloc(shift), Buffer.from(TOKEN)])
    .toString('base64')
    .slice(shift === 0 ? 0 : 4, (shift === 0 ? 0 : 4) + 16),
);

/** What a reader (or a careless decoder) would make of a text: every escape decoded, repeatedly. */
function decodeAll(text: string): string {
  let out = text;
  for (let i = 0; i < 3; i++)
    out = out
      .replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/\\\//g, '/')
      .replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&#x([0-9a-fA-F]+);/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&#([0-9]+);/g, (_m, dec: string) => String.fromCharCode(Number(dec)));
  return out;
}

const json = (value: unknown) => JSON.stringify(value);
const ECHOES: Array<[string, string]> = [
  [
    'JSON-escaped',
    json({ message: `Invalid token ${TOKEN}` })
      .replace('+', '\\u002B')
      .replace('/', '\\/'),
  ],
  [
    'percent-encoded, lower case',
    json({
      message: `bad emApplicationtoken=${encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
    }),
  ],
  ['percent-encoded, upper case', json({ error: { message: `token=${encodeURIComponent(TOKEN)} refused` } })],
  ['base64', json({ message: `credential ${Buffer.from(TOKEN).toString('base64')} refused` })],
  ['base64 inside a longer value', json({ message: `Basic ${Buffer.from(`app:${TOKEN}`).toString('base64')}` })],
  ['its first 16 characters', `Unauthorized: token ${PREFIX}… is not valid`],
  ['HTML-escaped in a page', `<html><body>token ${TOKEN.replace('+', '&#43;').replace('/', '&#x2F;')}</body></html>`],
];

describe('the token echoed back by the Events API', () => {
  let api: http.Server;
  let answer: { status: number; body: string; route: 'start' | 'status' };
  let h: Harness;

  beforeAll(async () => {
    api = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const route = /obmMigration\/(start|status)/.exec(req.url ?? '')?.[1];
        if (route === answer.route) {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(answer.body);
        } else if (route === 'start') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(json({ message: 'started' }));
        } else {
          res.writeHead(204);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/eventmanagement/`;
    h = await startHarness({ env: { EVENTS_API_ENDPOINT: url, EVENTS_API_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await h.close();
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
  });

  const run = async () => {
    h.connector.clear();
    await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`);
    const card = h.connector.cards().at(-1)!;
    const jobId = jobIdIn(contentOf(card));
    await h.click('approve', { jobId, ...ALL_TICKED }, { replyToId: card.id });
    await h.app.afterTurn.drain();
    return jobId;
  };

  const expectNowhere = async (jobId: string) => {
    const job = await h.app.store.getJob(jobId);
    const places = {
      sent: JSON.stringify(h.connector.sent),
      logs: h.logs(),
      job: JSON.stringify(job),
      audit: JSON.stringify(await h.app.store.auditTrail(jobId)),
    };
    for (const [where, text] of Object.entries(places)) {
      const readable = decodeAll(text);
      const leaks = [PREFIX, ...BASE64_PARTS].filter((part) => readable.includes(part));
      expect({ where, leaks }).toEqual({ where, leaks: [] });
    }
  };

  it.each(ECHOES)('in a 401 to start (%s): the job fails to start, and the token is nowhere', async (_what, body) => {
    answer = { status: 401, body, route: 'start' };
    const jobId = await run();
    await eventually(async () => (await h.app.store.getJob(jobId))?.state === 'start_failed', 'start_failed');
    await eventually(() => h.connector.texts().some((t) => /could not|refused/i.test(t)), 'the failure message');
    expect((await h.app.store.getJob(jobId))?.lastError).toMatch(/refused the token/);
    await expectNowhere(jobId);
  });

  it('in a status answer of an unknown shape: the progress card shows the raw text without it', async () => {
    answer = {
      status: 200,
      body: json({ weird: { state: `SECRET\\u002B${TOKEN.slice(7)}`, echo: TOKEN } }).replace('\\\\u002B', '\\u002B'),
      route: 'status',
    };
    const jobId = await run();
    await eventually(async () => (await h.app.store.getJob(jobId))?.state === 'running', 'running');
    await eventually(async () => (await h.app.store.getJob(jobId))?.progress, 'a status reading', 5000);
    await new Promise((r) => setTimeout(r, 500)); // a few polls
    await h.app.dispatcher.flushAll();
    await expectNowhere(jobId);
  });
});
