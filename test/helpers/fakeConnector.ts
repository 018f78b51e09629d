import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Bot Framework Connector (Microsoft's cloud), for the tests and the bench alike: it answers
 * as the connector does, and records what the bot sends. Faults make it throttle (429 + Retry-After), fail
 * (5xx) or refuse (403/404).
 *
 * The bench compiles this file too (tsconfig.build.json), so it imports nothing of jest.
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

/** A reply as it arrived, for a waiter keyed by the id of the activity it answers. */
export interface Arrival {
  /** performance.now() when the whole request body had arrived */
  at: number;
  activity: Record<string, unknown>;
  /** the id the connector gave the new message */
  id: string;
}

export interface FakeConnectorOptions {
  /**
   * Keep every activity and request in `sent` and `attempts` (the tests read them). Off for load, where the
   * lists would only grow. Default on.
   */
  record?: boolean;
  /**
   * Note when each reply arrives, keyed by the activity it answers (`replyTo`): a reply is POSTed to
   * .../activities/{replyToId}, and that id is the id of the activity the caller sent. Default off.
   */
  timeArrivals?: boolean;
}

export interface FakeConnector {
  url: string;
  sent: SentActivity[];
  /** every request seen, including refused ones */
  attempts: Array<{ method: string; path: string; status: number; /** Date.now() when answered */ at?: number }>;
  /** every update (PUT) answered so far, recorded or not */
  readonly updates: number;
  inject(fault: ConnectorFault): void;
  cards(): SentActivity[];
  texts(): string[];
  /** resolves when a reply to `activityId` arrives; needs `timeArrivals` */
  replyTo(activityId: string, timeoutMs?: number): Promise<Arrival>;
  clear(): void;
  close(): Promise<void>;
}

const ACTIVITIES = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/;

export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const record = options.record ?? true;
  const arrivals = options.timeArrivals ? new ArrivalWaiters() : undefined;
  const sent: SentActivity[] = [];
  const attempts: FakeConnector['attempts'] = [];
  const faults: ConnectorFault[] = [];
  let counter = 0;
  let updates = 0;

  const attempt = (method: string, path: string, status: number) => {
    if (record) attempts.push({ method, path, status, at: Date.now() });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrivedAt = performance.now();
      const path = decodeURIComponent(req.url ?? '');
      const method = req.method ?? '';
      const fault = faults.find((f) => f.times > 0 && (f.on === undefined || f.on === 'any' || f.on === method));
      if (fault) {
        fault.times--;
        attempt(method, path, fault.status);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfterSec !== undefined) headers['retry-after'] = String(fault.retryAfterSec);
        answer(
          res,
          fault.status,
          { error: { code: fault.code ?? 'Fault', message: `injected ${fault.status}` } },
          headers,
        );
        return;
      }
      const match = ACTIVITIES.exec(path);
      if (!match || (method !== 'POST' && method !== 'PUT')) {
        attempt(method, path, 404);
        answer(res, 404, { error: { code: 'NotFound', message: path } });
        return;
      }
      const [, conversationId, activityId] = match;
      const id = method === 'PUT' ? activityId : `act-${++counter}`;
      attempt(method, path, 200);
      const activity = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const kind = method === 'PUT' ? 'update' : activityId ? 'reply' : 'new';
      if (kind === 'update') updates++;
      if (record)
        sent.push({ method: method as 'POST' | 'PUT', conversationId, activityId, kind, id, activity, at: Date.now() });
      answer(res, 200, { id });
      if (kind === 'reply') arrivals?.arrived(activityId, { at: arrivedAt, id, activity });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    sent,
    attempts,
    get updates() {
      return updates;
    },
    inject: (fault) => faults.push({ ...fault }),
    cards: () =>
      sent.filter((s) =>
        s.activity.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive'),
      ),
    texts: () => sent.filter((s) => typeof s.activity.text === 'string').map((s) => s.activity.text as string),
    replyTo: (activityId, timeoutMs = 10_000) => {
      if (!arrivals) throw new Error('replyTo needs a connector started with { timeArrivals: true }');
      return arrivals.next(activityId, timeoutMs);
    },
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

/** Replies by the id they answer: handed to a waiter, or kept until one asks (the reply may come first). */
class ArrivalWaiters {
  private readonly waiting = new Map<string, (arrival: Arrival) => void>();
  private readonly early = new Map<string, Arrival>();

  arrived(replyToId: string, arrival: Arrival): void {
    const waiter = this.waiting.get(replyToId);
    if (waiter) {
      this.waiting.delete(replyToId);
      waiter(arrival);
    } else this.early.set(replyToId, arrival);
  }

  next(activityId: string, timeoutMs: number): Promise<Arrival> {
    const ready = this.early.get(activityId);
    if (ready) {
      this.early.delete(activityId);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(activityId);
        reject(new Error(`no reply to ${activityId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(activityId, (arrival) => {
        clearTimeout(timer);
        resolve(arrival);
      });
    });
  }
}

/** Two calls, not a chain: restify patches ServerResponse.writeHead in a process that runs it, and it returns nothing. */
function answer(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): void {
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}
