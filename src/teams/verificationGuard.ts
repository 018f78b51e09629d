import { AuthenticationError } from 'botframework-connector';
import type { Logger } from '../logger';

/**
 * Bounds the verification of an incoming token. botframework-connector fetches Microsoft's OpenID metadata
 * and signing keys without a timeout and, while they are unreachable, again for every request; a flood of
 * forged tokens would then hold requests open for seconds each. Here a verification that has not finished in
 * `timeoutMs` is answered 401, and after such a failure requests are refused at once for `coolDownMs` (or
 * until the verification still running in the background succeeds and the keys are cached after all).
 * Every refusal is a plain 401 "Unauthorized": the reason goes to the log, never into the answer.
 */
export interface VerificationGuardOptions {
  timeoutMs: number;
  coolDownMs: number;
  /** verifications allowed to run at once; more are refused */
  maxPending: number;
}

/**
 * Half a second: the signing keys are cached for a day once fetched, and a fetch cut short here goes on in the
 * background, so only a request in the first moments after a start can be refused for a slow fetch (and Bot
 * Framework sends it again).
 */
export const defaultVerificationGuard: VerificationGuardOptions = {
  timeoutMs: 500,
  coolDownMs: 10_000,
  maxPending: 16,
};

export function unauthorized(): AuthenticationError {
  return new AuthenticationError('Unauthorized', 401);
}

export class VerificationGuard {
  private unavailableUntil = 0;
  private pending = 0;

  constructor(
    private readonly options: VerificationGuardOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(verify: () => Promise<T>): Promise<T> {
    if (this.now() < this.unavailableUntil) throw this.refuse('signing keys unavailable; refused without trying');
    if (this.pending >= this.options.maxPending) throw this.refuse('too many verifications in flight');
    this.pending++;
    const attempt = verify().finally(() => this.pending--);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.timeoutMs);
    });
    try {
      const outcome = await Promise.race([attempt.then((value) => ({ value })), timedOut]);
      if (outcome === 'timeout') {
        this.markUnavailable('token verification timed out (signing keys not reachable in time)');
        // Let it finish in the background: its keys are cached when it succeeds.
        attempt.then(
          () => (this.unavailableUntil = 0),
          () => undefined,
        );
        throw unauthorized();
      }
      return outcome.value;
    } catch (err) {
      if (err instanceof AuthenticationError && err.message === 'Unauthorized') throw err;
      if (!isRefusalOfTheToken(err)) this.markUnavailable(`token could not be verified: ${describe(err)}`);
      else this.logger.warn({ reason: describe(err) }, 'request refused: token not valid');
      throw unauthorized();
    } finally {
      clearTimeout(timer);
    }
  }

  refuse(reason: string): AuthenticationError {
    this.logger.warn({ reason }, 'request refused: token not verified');
    return unauthorized();
  }

  private markUnavailable(reason: string): void {
    this.unavailableUntil = this.now() + this.options.coolDownMs;
    this.logger.warn({ reason, coolDownMs: this.options.coolDownMs }, 'request refused: token not verified');
  }
}

/** botframework-connector says 401/403 when the token itself is wrong; anything else is its own trouble. */
function isRefusalOfTheToken(err: unknown): boolean {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return err instanceof AuthenticationError && (status === 401 || status === 403);
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}
