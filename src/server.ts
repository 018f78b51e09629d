import restify from 'restify';
import type { Logger } from './logger';

export type RequestHandler = (req: restify.Request, res: restify.Response) => Promise<void>;

export interface ServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  onMessages: RequestHandler;
  /** problems that make the bot not ready (empty = ready) */
  readiness: () => string[];
}

export interface RunningServer {
  port: number;
  url: string;
  /** stop taking requests and wait for the ones in flight */
  close(): Promise<void>;
  /** drop every connection at once, for a shutdown that cannot wait any longer */
  abort(): void;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const server = restify.createServer({ name: 'event-migration-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  let inFlight = 0;
  let idle: (() => void) | undefined;
  const track =
    (handler: RequestHandler): restify.RequestHandler =>
    async (req, res) => {
      inFlight++;
      try {
        await handler(req, res);
      } catch (err) {
        options.logger.error({ err }, 'request failed');
        if (!res.headersSent) res.send(500, { error: 'internal error' });
      } finally {
        inFlight--;
        if (inFlight === 0 && idle) idle();
      }
    };

  server.post('/api/messages', track(options.onMessages));
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const problems = options.readiness();
    res.send(
      problems.length === 0 ? 200 : 503,
      problems.length === 0 ? { status: 'ready' } : { status: 'not ready', problems },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.server.close(() => undefined);
        // restify keeps idle keep-alive sockets open; closeIdleConnections lets close() complete
        server.server.closeIdleConnections?.();
        const done = () => resolve();
        if (inFlight === 0) done();
        else idle = done;
      }),
    abort: () => server.server.closeAllConnections?.(),
  };
}
