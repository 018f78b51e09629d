/**
 * Retries for calls to the Bot Connector, per Teams' guidance: 429 waits Retry-After, 412/5xx back off,
 * 403 and 404 are final (the caller decides what they mean). botbuilder's HTTP pipeline retries a little on its
 * own; this adds a bounded, logged layer on top so a throttled channel still gets its message.
 */

export interface ConnectorFailure {
  status?: number;
  code?: string;
  retryAfterMs?: number;
  message: string;
}

export function describeConnectorError(err: unknown): ConnectorFailure {
  const e = err as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { headers?: { get?(name: string): string | undefined } | Record<string, string>; bodyAsText?: string };
    details?: { error?: { code?: string } };
  };
  const headers = e?.response?.headers;
  const retryAfter =
    headers && typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(name: string): string | undefined }).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  const seconds = retryAfter !== undefined ? Number(retryAfter) : NaN;
  const bodyCode = /"code"\s*:\s*"([A-Za-z]+)"/.exec(e?.response?.bodyAsText ?? '')?.[1];
  return {
    status: typeof e?.statusCode === 'number' ? e.statusCode : undefined,
    code: e?.details?.error?.code ?? bodyCode ?? (typeof e?.code === 'string' ? e.code : undefined),
    retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : undefined,
    message: e?.message ?? String(err),
  };
}

export function isTransientConnectorStatus(status: number | undefined): boolean {
  return status === undefined || status === 429 || status === 412 || status >= 500;
}

export interface ConnectorRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultConnectorRetry: ConnectorRetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export async function withConnectorRetry<T>(
  op: () => Promise<T>,
  options: ConnectorRetryOptions,
  onRetry: (failure: ConnectorFailure, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const failure = describeConnectorError(err);
      if (!isTransientConnectorStatus(failure.status) || attempt >= options.maxAttempts) throw err;
      const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = failure.retryAfterMs ?? Math.round(backoff / 2 + Math.random() * (backoff / 2));
      onRetry(failure, attempt, delayMs);
      await options.sleep(delayMs);
    }
  }
}
