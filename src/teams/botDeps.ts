import type { Logger } from '../logger';
import type { ApprovalRules } from '../migration/approvalPolicy';
import type { Migrations } from '../migration/migrations';
import type { SetupCheck } from '../migration/setupCheck';
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
  migrations: Migrations;
  conversations: ConversationBook;
  clock: Clock;
  rules: ApprovalRules;
  allowedTenantIds: readonly string[];
  afterTurn: AfterTurn;
  logger: Logger;
  /** `check`: one status call (and the Dataverse sign-in), judged */
  setupCheck: Pick<SetupCheck, 'run'>;
}
