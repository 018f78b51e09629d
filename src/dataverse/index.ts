/** Dataverse: the Web API client, the sign-in, and the reader that answers the domain's port. */
import type { DataverseConfig } from '../dataverseConfig';
import type { DataverseFactsPort } from '../migration/dataverseFacts';
import { createDataverseClient, type DataverseClient, type DataverseLogger } from './client';
import { createCredential, secretsOf, type TokenCredential } from './credential';
import { createDataverseReader } from './reader';
import { createDraftEvents } from './draftEvents';
import type { DraftEventsPort } from '../migration/draftTarget';

export { createDataverseClient, type DataverseClient, type DataverseClientOptions, type Row } from './client';
export { createCredential, scopeFor, secretsOf, type TokenCredential } from './credential';
export { DataverseError, type DataverseErrorKind } from './errors';
export { createDataverseReader } from './reader';
export { recordLink } from './values';

export interface Dataverse {
  client: DataverseClient;
  reader: DataverseFactsPort;
  /** makes the real-time draft of `migrate <id> new` */
  drafts: DraftEventsPort;
  close(): Promise<void>;
}

/** One credential and one client per process; `credential` replaces the configured sign-in (dev, tests). */
export function createDataverse(
  config: DataverseConfig,
  logger: DataverseLogger,
  options: { credential?: TokenCredential } = {},
): Dataverse {
  const client = createDataverseClient({
    url: config.url,
    credential: options.credential ?? createCredential(config),
    secrets: secretsOf(config),
    logger,
  });
  return {
    client,
    reader: createDataverseReader({ client }),
    drafts: createDraftEvents(client),
    close: () => client.close(),
  };
}
