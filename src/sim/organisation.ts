/**
 * One simulated organisation: the Events API simulator, the Dataverse simulator and its token server, joined so that
 * as a simulated migration runs, the target's registrations appear in Dataverse (a few can be left out on demand).
 */
import type { TokenCredential } from '@azure/identity';
import { migratedRows } from './dataverse/migratedRows';
import { SEED } from './dataverse/seed';
import { startDataverseSimulator, type SimDataverse, type SimDataverseOptions } from './dataverse/server';
import { simCredential } from './dataverse/simCredential';
import { startTokenServer, type SimAppRegistration, type TokenServer } from './dataverse/tokenServer';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator';
import { loadSimState, persistedJobs, saveSimState } from './simState';

export const SIM_APP: Required<SimAppRegistration> = {
  tenantId: '0b0b0b0b-0000-4000-8000-00000000000a',
  clientId: '0c0c0c0c-0000-4000-8000-00000000000b',
  clientSecret: 'sim-dataverse-secret',
};

export interface SimOrganisationOptions {
  events?: SimulatorOptions;
  dataverse?: Omit<SimDataverseOptions, 'derivedRows'>;
  /** https for the token server (needed by @azure/identity); plain http without */
  tls?: { key: string | Buffer; cert: string | Buffer };
  apps?: SimAppRegistration[];
  /** keep the organisation's state (jobs, Dataverse tables) in this file across restarts (`npm run dev`) */
  stateFile?: string;
}

export interface SimOrganisation {
  events: Simulator;
  dataverse: SimDataverse;
  tokens: TokenServer;
  app: Required<SimAppRegistration>;
  /** from now on, this many of each migration's registrations never arrive in the target */
  leaveOut(count: number): void;
  /** a credential for the local stack (plain http to the token server) */
  credential(): TokenCredential;
  /** the variables that point the bot at this organisation */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startOrganisation(options: SimOrganisationOptions = {}): Promise<SimOrganisation> {
  let leftOut = 0;
  const liveCount = SEED.counts.liveRegistrations - SEED.counts.liveCancelled;
  const file = options.stateFile;
  const saved = file ? loadSimState(file) : undefined;
  let dataverse: SimDataverse | undefined;
  const persisted = file ? persistedJobs(file, saved, () => ({ dataverse: dataverse?.data() })) : {};
  const events = await startSimulator({ registrations: liveCount, ...options.events, ...persisted });
  let tokens: TokenServer | undefined;
  try {
    dataverse = await startDataverseSimulator({
      ...options.dataverse,
      ...(saved?.dataverse ? { data: saved.dataverse } : {}),
      derivedRows: (set) => migratedRows(dataverse!.data(), events.jobs(), leftOut)[set] ?? [],
    });
    const dv = dataverse;
    tokens = await startTokenServer({
      tls: options.tls,
      apps: options.apps ?? [SIM_APP],
      onIssue: (t) => dv.acceptToken(t),
    });
  } catch (error) {
    await Promise.all([events.close(), dataverse?.close(), tokens?.close()]);
    throw error;
  }
  const dv = dataverse;
  const tk = tokens;
  return {
    events,
    dataverse: dv,
    tokens: tk,
    app: SIM_APP,
    leaveOut: (count) => {
      leftOut = Math.max(0, Math.floor(count));
    },
    credential: () => simCredential(tk.authorityHost, SIM_APP.tenantId, SIM_APP.clientId, SIM_APP.clientSecret),
    env: () => ({
      EVENTS_API_ENDPOINT: events.url,
      DATAVERSE_URL: dv.url,
      AZURE_TENANT_ID: SIM_APP.tenantId,
      AZURE_CLIENT_ID: SIM_APP.clientId,
      AZURE_CLIENT_SECRET: SIM_APP.clientSecret,
      // @azure/identity takes only an https authority: over plain http the stack passes credential() instead
      ...(options.tls ? { AZURE_AUTHORITY_HOST: tk.authorityHost } : {}),
    }),
    close: async () => {
      await Promise.all([events.close(), dv.close(), tk.close()]);
      // The Dataverse tables change without telling the Events API half (rows the bot creates): saved last.
      if (file) saveSimState(file, { jobs: events.savedJobs(), dataverse: dv.data() });
    },
  };
}
