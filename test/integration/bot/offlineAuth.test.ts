import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { environmentKey } from '../../../src/events-api';
import {
  BEN,
  BOT,
  CHANNEL,
  FROM_EVENT,
  startHarness,
  TENANT,
  THREAD,
  TO_EVENT,
  type Harness,
} from '../../helpers/botHarness';

/**
 * With an app id set and Microsoft's OpenID metadata unreachable (here: a loopback server that accepts the
 * connection and never answers), tokens that cannot be verified are answered 401 within a second, without
 * any internal detail, and a flood of them does not tie the bot up.
 */

const APP_ID = '00000000-0000-4000-8000-00000000a9b1';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function jwt(header: Record<string, unknown>, claims: Record<string, unknown>, signature?: string): string {
  const head = `${b64(header)}.${b64(claims)}`;
  return `${head}.${signature ?? sign('sha256', Buffer.from(head), privateKey).toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: 'https://api.botframework.com',
  aud: APP_ID,
  nbf: now() - 60,
  exp: now() + 3600,
  serviceurl: 'http://127.0.0.1:9/',
  ...extra,
});

const TOKENS: Array<[string, () => string]> = [
  ['signed with an unknown key', () => jwt({ alg: 'RS256', kid: 'forged-key', typ: 'JWT' }, claims())],
  ['expired', () => jwt({ alg: 'RS256', kid: 'forged-key' }, claims({ exp: now() - 3600, nbf: now() - 7200 }))],
  ['alg: none', () => jwt({ alg: 'none', typ: 'JWT' }, claims(), '')],
  ['alg: HS256', () => jwt({ alg: 'HS256', kid: 'x' }, claims(), 'c2lnbmF0dXJl')],
  [
    'wrongly signed',
    () => jwt({ alg: 'RS256', kid: 'forged-key' }, claims(), Buffer.alloc(256, 7).toString('base64url')),
  ],
];

describe('tokens that cannot be verified while the signing keys are unreachable', () => {
  let h: Harness;
  let silent: http.Server;
  let consoleError: jest.SpyInstance;
  const metadataHits: string[] = [];

  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
    silent = http.createServer((req) => metadataHits.push(req.url ?? '')); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const metadataUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
    h = await startHarness({
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'any-password', MicrosoftAppTenantId: TENANT },
      overrides: { adapter: { openIdMetadataUrl: metadataUrl } },
    });
  });
  afterAll(async () => {
    await h.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    consoleError.mockRestore();
  });

  const send = async (token: string) => {
    const began = Date.now();
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        id: 'act-forged',
        type: 'message',
        channelId: 'msteams',
        serviceUrl: h.connector.url,
        from: BEN,
        recipient: BOT,
        conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: TENANT },
        channelData: { tenant: { id: TENANT }, channel: { id: CHANNEL } },
        text: `<at>${BOT.name}</at> migrate ${FROM_EVENT} ${TO_EVENT}`,
      }),
    });
    return { status: res.status, body: await res.text(), ms: Date.now() - began };
  };

  it.each(TOKENS)('a token %s gets 401 within a second, without internals', async (_what, token) => {
    const answer = await send(token());
    expect(answer.status).toBe(401);
    expect(answer.ms).toBeLessThan(1000);
    expect(answer.body).not.toMatch(/getaddrinfo|ENOTFOUND|ECONN|openid|127\.0\.0\.1|login\.|Error|timed out|\bat\b/i);
  });

  it('a flood of forged tokens is refused at once, and the bot stays responsive', async () => {
    const began = Date.now();
    const answers = await Promise.all(Array.from({ length: 40 }, () => send(TOKENS[0][1]())));
    const health = await fetch(`${h.url}/healthz`);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 401));
    expect(Date.now() - began).toBeLessThan(2000);
    expect(health.status).toBe(200);
    // the keys were asked for (so verification really waited on them), a bounded number of times
    expect(metadataHits.length).toBeGreaterThanOrEqual(1);
    expect(metadataHits.length).toBeLessThanOrEqual(3);
  });

  it('nothing was stored, started or sent', async () => {
    await h.app.afterTurn.drain();
    expect(await h.app.store.listJobs(environmentKey(h.sim.url), 10)).toEqual([]);
    expect(await h.app.store.getConversationReference(THREAD)).toBeUndefined();
    expect(h.sim.calls).toEqual([]);
    expect(h.connector.attempts).toEqual([]);
  });
});
