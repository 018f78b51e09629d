import { StoreUnavailableError } from '../migration/storeUnavailable';

/** Node's socket errors: the database cannot be reached at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/** pg's own words when a connection cannot be made or is lost (it gives these errors no code) */
const LOST =
  /connection terminated|timeout exceeded|query read timeout|connection timeout|connection error|not queryable|does not support ssl|self[- ]signed|certificate/i;

export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

/**
 * Whether an error is the database being unavailable (unreachable, restarting, out of connections or disk),
 * as opposed to a rule (a constraint) or a bug. SQLSTATE classes: 08 connection, 53 resources, 57 operator
 * intervention (shutdown), 58 system, XX internal; 40 (serialization, deadlock) is another writer in the way.
 */
export function isPgUnavailable(error: unknown): boolean {
  const code = pgCode(error);
  if (code && NETWORK_CODES.has(code)) return true;
  if (code && /^(08|53|57|58|XX|40)/.test(code) && code.length === 5) return true;
  return !code && error instanceof Error && LOST.test(error.message);
}

/**
 * The database could not be reached (as opposed to reached and refusing: out of disk, out of connections):
 * the reachability probe tells when that is over.
 */
export function isConnectionLoss(error: unknown): boolean {
  const code = pgCode(error);
  if (code && NETWORK_CODES.has(code)) return true;
  if (code && (code.startsWith('08') || /^57P0[123]$/.test(code))) return true;
  return !code && error instanceof Error && LOST.test(error.message);
}

/** The error a caller sees: what failed, never the URL (it can carry a password). */
export function toUnavailable(error: unknown): StoreUnavailableError {
  const code = pgCode(error);
  const busy = code?.startsWith('40') === true;
  return busy
    ? new StoreUnavailableError('busy', `another writer was in the way (${code})`)
    : new StoreUnavailableError(
        'failed',
        `the database could not be reached or refused the work (${code ?? 'no connection'})`,
      );
}
