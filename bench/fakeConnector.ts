import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Bot Framework Connector (Microsoft's cloud) that says when each reply arrives: a reply
 * is POSTed to .../activities/{replyToId}, and the replyToId is the id of the activity the bench sent, so a
 * waiter keyed by that id learns the moment the bot's answer reached "Teams".
 */

export interface Arrival {
  /** performance.now() when the whole request body had arrived */
  at: number;
  activity: Record<string, unknown>;
  /** the id the connector gave the new message */
  id: string;
}

export interface BenchConnector {
  url: string;
  /** resolves when a reply to `activityId` arrives */
  replyTo(activityId: string, timeoutMs?: number): Promise<Arrival>;
  /** every update (PUT) seen so far */
  readonly updates: number;
  close(): Promise<void>;
}

const REPLY = /\/v3\/conversations\/[^/]+\/activities(?:\/([^/?]+))?/;

export async function startBenchConnector(): Promise<BenchConnector> {
  const waiting = new Map<string, (arrival: Arrival) => void>();
  const early = new Map<string, Arrival>();
  let counter = 0;
  let updates = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const match = REPLY.exec(decodeURIComponent(req.url ?? ''));
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        answer(res, 404, { error: { code: 'NotFound' } });
        return;
      }
      const replyToId = match[1];
      const id = req.method === 'PUT' && replyToId ? replyToId : `bench-act-${++counter}`;
      answer(res, 200, { id });
      if (req.method === 'PUT') {
        updates++;
        return;
      }
      if (!replyToId) return;
      const arrival: Arrival = {
        at,
        id,
        activity: chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {},
      };
      const waiter = waiting.get(replyToId);
      if (waiter) {
        waiting.delete(replyToId);
        waiter(arrival);
      } else early.set(replyToId, arrival);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    get updates() {
      return updates;
    },
    replyTo(activityId, timeoutMs = 10_000) {
      const ready = early.get(activityId);
      if (ready) {
        early.delete(activityId);
        return Promise.resolve(ready);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(activityId);
          reject(new Error(`no reply to ${activityId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(activityId, (arrival) => {
          clearTimeout(timer);
          resolve(arrival);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Two calls, not a chain: restify patches ServerResponse.writeHead in this process and it returns nothing. */
function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
