import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the simulated services share about serving HTTP on loopback. */

/** The body as text; past `maxBytes` the rest is dropped, so a huge upload cannot fill a test's memory. */
export function readBody(req: IncomingMessage, maxBytes = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A handler that throws answers 500 instead of leaving the request hanging. */
export function guarded(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RequestListener {
  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}

/** Listens (port 0: any free one) and answers the port it got. */
export async function listen(server: Server, port: number | undefined, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** The host as it stands in a URL (an IPv6 address in brackets). */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Pauses a server's handlers wait on (slow answers), all cut short by `cancel()` when the server closes. */
export function cancellablePauses(): { pause(ms: number): Promise<void>; cancel(): void } {
  const timers = new Set<NodeJS.Timeout>();
  return {
    pause: (ms) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, ms);
        timers.add(t);
      }),
    cancel: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
