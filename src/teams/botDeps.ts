import type { Logger } from '../logger';
import type { Environments } from '../migration/environments';
import type { JobRouter } from '../migration/jobRouter';
import type { Clock, JobStore } from '../migration/types';
import type { AfterTurn } from './afterTurn';

/** Where the Teams layer keeps conversation references: the part of the store it needs, and no more. */
export type ConversationBook = Pick<
  JobStore,
  | 'saveConversationReference'
  | 'getConversationReference'
  | 'deleteConversationReference'
  | 'deleteConversationReferencesOfTeam'
>;

/** What the command and card-action handlers work with; built once in the composition root. */
export interface BotDeps {
  /** the operations on one job, in whatever environment it is */
  migrations: JobRouter;
  /** each environment's migrations, rules and `check`; a command picks one */
  environments: Environments;
  conversations: ConversationBook;
  clock: Clock;
  allowedTenantIds: readonly string[];
  afterTurn: AfterTurn;
  logger: Logger;
}
