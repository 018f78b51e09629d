import { eventually } from '../../helpers/botHarness';

export { SteppedTime } from '../../../src/sim/steppedTime';

/** Like `eventually`, but checks every millisecond: a stepped run waits on real I/O hundreds of times. */
export function soon<T>(check: () => T | Promise<T>, what: string, ms = 5_000): Promise<Exclude<T, false | undefined>> {
  return eventually(check, what, ms, 1);
}
