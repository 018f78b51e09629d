import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Bot Framework Connector (Microsoft's cloud): records what the bot sends and answers as
 * the connector does. Faults make it throttle (429 + Retry-After), fail (5xx) or refuse (403/404).
 */

export interface SentActivity {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** POST .../activities/{replyToId} (a reply) or PUT .../activities/{activityId} (an update) */
  activityId?: string;
  kind: 'reply' | 'new' | 'update';
  id: string;
  activity: {
    type?: string;
    text?: string;
    attachments?: Array<{ contentType: string; content: Record<string, unknown> }>;
    entities?: Array<{ type: string; text?: string; mentioned?: { id: string; name: string } }>;
    [k: string]: unknown;
  };
  at: number;
}

export interface ConnectorFault {
  status: number;
  times: number;
  on?: 'POST' | 'PUT' | 'any';
  retryAfterSec?: number;
  code?: string;
}

export interface FakeConnector {
  url: string;
  sent: SentActivity[];
  /** every request seen, including refused ones */
  attempts: Array<{ method: string; path: string; status: number; /** Date.now() when answered */ at?: number }>;
  inject(fault: ConnectorFault): void;
  cards(): SentActivity[];
  texts(): string[];
  clear(): void;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const sent: SentActivity[] = [];
  const attempts: FakeConnector['attempts'] = [];
  const faults: ConnectorFault[] = [];
  let counter = 0;

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = decodeURIComponent(req.url ?? '');
      const method = req.method ?? '';
      const fault = faults.find((f) => f.times > 0 && (f.on === undefined || f.on === 'any' || f.on === method));
      if (fault) {
        fault.times--;
        attempts.push({ method, path, status: fault.status, at: Date.now() });
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfterSec !== undefined) headers['retry-after'] = String(fault.retryAfterSec);
        res.writeHead(fault.status, headers);
        res.end(JSON.stringify({ error: { code: fault.code ?? 'Fault', message: `injected ${fault.status}` } }));
        return;
      }
      const match = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(path);
      if (!match || (method !== 'POST' && method !== 'PUT')) {
        attempts.push({ method, path, status: 404, at: Date.now() });
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'NotFound', message: path } }));
        return;
      }
      const [, conversationId, activityId] = match;
      const id = method === 'PUT' ? activityId : `act-${++counter}`;
      attempts.push({ method, path, status: 200, at: Date.now() });
      sent.push({
        method: method as 'POST' | 'PUT',
        conversationId,
        activityId,
        kind: method === 'PUT' ? 'update' : activityId ? 'reply' : 'new',
        id,
        activity: body ? JSON.parse(body) : {},
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    sent,
    attempts,
    inject: (fault) => faults.push({ ...fault }),
    cards: () =>
      sent.filter((s) =>
        s.activity.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive'),
      ),
    texts: () => sent.filter((s) => typeof s.activity.text === 'string').map((s) => s.activity.text as string),
    clear: () => {
      sent.length = 0;
      attempts.length = 0;
      faults.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
