import { openStore } from '../../../src/store/openStore';

/** The states a job's audit trail records, oldest first, read through a store of its own. */
export async function auditStates(databaseUrl: string, jobId: string): Promise<string[]> {
  const store = await openStore(databaseUrl);
  try {
    return (await store.auditTrail(jobId)).map((e) => e.to);
  } finally {
    await store.close();
  }
}
