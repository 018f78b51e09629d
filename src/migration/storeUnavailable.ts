/**
 * What a JobStore throws when it cannot do its work right now, as opposed to a bug: `busy` when another
 * writer held the database for longer than the store waits, `failed` when a write was refused (disk full,
 * files not writable, I/O error). The Teams layer answers both with a clear "try again" and nothing changes.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly reason: 'busy' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

export function isStoreUnavailable(err: unknown): err is StoreUnavailableError {
  return err instanceof StoreUnavailableError;
}
