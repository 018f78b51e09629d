/** Dataverse: the Web API client, the sign-in, and the reader that answers the domain's port. */
import type { DataverseConfig } from '../dataverseConfig';
import type { DataverseFactsPort } from '../migration/dataverseFacts';
import { createDataverseClient, type DataverseClient, type DataverseLogger } from './client';
import { createCredential, secretsOf, type TokenCredential } from './credential';
import { createEventDirectory } from './eventDirectory';
import { createDataverseReader } from './reader';
import type { EventDirectoryPort } from '../migration/eventDirectory';
import { createDraftEvents } from './draftEvents';
import type { DraftEventsPort } from '../migration/draftTarget';

export { createDataverseClient, type DataverseClient, type DataverseClientOptions, type Row } from './client';
export { createCredential, scopeFor, secretsOf, type TokenCredential } from './credential';
export { DataverseError, type DataverseErrorKind } from './errors';
export { createDataverseReader } from './reader';
export { createEventDirectory } from './eventDirectory';
export { recordLink } from './values';

export interface Dataverse {
  client: DataverseClient;
  reader: DataverseFactsPort;
  directory: EventDirectoryPort;
  /** makes the real-time draft of `migrate <id> new` */
  drafts: DraftEventsPort;
  close(): Promise<void>;
}

/**
 * A picker's search is answered inside the Teams invoke (about a second is what a person waits, 15 s what Teams
 * allows): one retry at most and short limits, not the checks' patience.
 */
const SEARCH_LIMITS = { requestTimeoutMs: 4_000, connectTimeoutMs: 2_000, retryBudgetMs: 1_500, maxAttempts: 2 };

/** One credential per process (it caches the token); `credential` replaces the configured sign-in (dev, tests). */
export function createDataverse(
  config: DataverseConfig,
  logger: DataverseLogger,
  options: { credential?: TokenCredential } = {},
): Dataverse {
  const common = {
    url: config.url,
    credential: options.credential ?? createCredential(config),
    secrets: secretsOf(config),
    logger,
  };
  const client = createDataverseClient(common);
  const searchClient = createDataverseClient({ ...common, ...SEARCH_LIMITS });
  return {
    client,
    reader: createDataverseReader({ client }),
    directory: createEventDirectory(searchClient),
    drafts: createDraftEvents(client),
    close: async () => {
      await Promise.all([client.close(), searchClient.close()]);
    },
  };
}
