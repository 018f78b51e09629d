import type { Logger } from '../logger';
import type { ApprovalRules } from '../migration/approvalPolicy';
import type { MigrationService } from '../migration/migrationService';
import type { NotificationDispatcher } from '../migration/notificationDispatcher';
import type { Tracker } from '../migration/tracker';
import type { Clock, JobStore } from '../migration/types';
import type { AfterTurn } from './afterTurn';

/** What the command and card-action handlers work with; built once in the composition root. */
export interface BotDeps {
  service: MigrationService;
  store: JobStore;
  dispatcher: NotificationDispatcher;
  tracker: Tracker;
  clock: Clock;
  environment: string;
  rules: ApprovalRules;
  allowedTenantIds: readonly string[];
  afterTurn: AfterTurn;
  logger: Logger;
}
