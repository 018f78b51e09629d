import http from 'node:http';
import type { Registry } from 'prom-client';
import type { DomainLogger } from '../migration/ports';

/**
 * `GET /metrics` on a listener of its own, bound to loopback unless told otherwise, so the reverse proxy that
 * publishes /api/messages never exposes it. It answers nothing else.
 */

export interface MetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function answer(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(body);
}

export async function startMetricsServer(options: {
  port: number;
  host: string;
  registry: Registry;
  logger: DomainLogger;
}): Promise<MetricsServer> {
  const { registry, logger } = options;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/metrics') return answer(res, 404, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return answer(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
    registry.metrics().then(
      (text) => answer(res, 200, req.method === 'HEAD' ? '' : text, { 'content-type': registry.contentType }),
      (err: unknown) => {
        logger.error({ err }, 'metrics: scrape failed');
        answer(res, 500, 'scrape failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
      }),
  };
}
