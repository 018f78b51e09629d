/** What a thrown network error means for the retry loop and for the user. */

export interface NetworkFailure {
  /** a few words for the user and the log ("timeout", "connection refused", ...) */
  reason: string;
  /** worth another try */
  transient: boolean;
  /** the request may have reached the service before the failure (so a retried start could meet its own job) */
  mayHaveLanded: boolean;
}

const BY_CODE: Record<string, NetworkFailure> = {
  UND_ERR_CONNECT_TIMEOUT: { reason: 'connect timeout', transient: true, mayHaveLanded: false },
  ECONNREFUSED: { reason: 'connection refused', transient: true, mayHaveLanded: false },
  ENOTFOUND: { reason: 'host not found', transient: true, mayHaveLanded: false },
  EAI_AGAIN: { reason: 'host not found', transient: true, mayHaveLanded: false },
  EHOSTUNREACH: { reason: 'host unreachable', transient: true, mayHaveLanded: false },
  ENETUNREACH: { reason: 'network unreachable', transient: true, mayHaveLanded: false },
  UND_ERR_HEADERS_TIMEOUT: { reason: 'timeout', transient: true, mayHaveLanded: true },
  UND_ERR_BODY_TIMEOUT: { reason: 'timeout', transient: true, mayHaveLanded: true },
  UND_ERR_ABORTED: { reason: 'timeout', transient: true, mayHaveLanded: true },
  UND_ERR_SOCKET: { reason: 'connection closed', transient: true, mayHaveLanded: true },
  ECONNRESET: { reason: 'connection closed', transient: true, mayHaveLanded: true },
  EPIPE: { reason: 'connection closed', transient: true, mayHaveLanded: true },
  UND_ERR_CLOSED: { reason: 'connection closed', transient: true, mayHaveLanded: true },
  UND_ERR_INVALID_ARG: { reason: 'invalid request', transient: false, mayHaveLanded: false },
};

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; cause?: unknown };
  if (typeof e.code === 'string') return e.code;
  return e.cause === undefined || e.cause === error ? undefined : codeOf(e.cause);
}

export function classifyNetworkError(error: unknown): NetworkFailure {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') return BY_CODE.UND_ERR_ABORTED;
  const code = codeOf(error);
  return (
    (code && BY_CODE[code]) || {
      reason: code ? `network error ${code}` : 'network error',
      transient: true,
      mayHaveLanded: true,
    }
  );
}
