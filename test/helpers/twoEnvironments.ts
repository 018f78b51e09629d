import { startSimulator, type Simulator } from '../../src/sim/simulator';
import { startHarness, type Harness } from './botHarness';

/**
 * One bot, two environments, each its own Events API simulator with its own token: `prod` (production, set by
 * PROD_* variables, on a simulator of its own) and `test` (the unprefixed EVENTS_API_* on the harness's one).
 */
export interface TwoEnvironments {
  h: Harness;
  prod: Simulator;
  close(): Promise<void>;
}

export async function startTwoEnvironments(options: {
  prodToken: string;
  speed: number;
  registrations: number;
}): Promise<TwoEnvironments> {
  const { speed, registrations } = options;
  const prod = await startSimulator({ token: options.prodToken, speed, registrations });
  const h = await startHarness({
    sim: { speed, registrations },
    env: {
      ENVIRONMENTS: 'prod,test',
      PROD_EVENTS_API_ENDPOINT: prod.url,
      PROD_EVENTS_API_TOKEN: options.prodToken,
      PROD_PRODUCTION: 'true',
      APPROVER_IDS: '',
    },
  });
  return {
    h,
    prod,
    close: async () => {
      await h.close();
      await prod.close();
    },
  };
}
