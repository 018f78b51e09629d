import http from 'node:http';
import net from 'node:net';
import { sleep } from './wait';

/**
 * A minimal HTTP client for the load loop: node:http with keep-alive, so the figures are the server's cost and
 * not the client's connection set-up.
 */

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

export interface HttpAnswer {
  status: number;
  body: string;
}

export function postJson(url: string, value: unknown): Promise<HttpAnswer> {
  const payload = JSON.stringify(value);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => collect(res, resolve, reject),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A GET on a fresh connection (a new process has no pooled socket to reuse). */
export function getOnce(url: string, timeoutMs = 1_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => collect(res, resolve, reject));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function collect(res: http.IncomingMessage, resolve: (a: HttpAnswer) => void, reject: (e: Error) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
  res.on('error', reject);
}

/** A port nobody listens on right now, for a child process that must be told its port up front. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; resolves with the moment it did (performance.now()). */
export async function waitUntilReady(url: string, timeoutMs: number, everyMs = 5): Promise<number> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    try {
      const answer = await getOnce(url, 500);
      if (answer.status === 200) return performance.now();
    } catch {
      // not listening yet
    }
    if (performance.now() > until) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export function closeClientSockets(): void {
  agent.destroy();
}
