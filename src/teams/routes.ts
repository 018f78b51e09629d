import type { Command } from '../migration/commandParser';
import type { BotDeps } from './botDeps';
import { ApproveAction } from './cardActions/approveAction';
import { CancelAction } from './cardActions/cancelAction';
import type { CardActionHandler } from './cardActions/cardActionHandler';
import { RefreshAction } from './cardActions/refreshAction';
import { RetryAction } from './cardActions/retryAction';
import type { CommandHandler } from './commands/commandHandler';
import { HelpCommand } from './commands/helpCommand';
import { HistoryCommand } from './commands/historyCommand';
import { InvalidCommand } from './commands/invalidCommand';
import { MigrateCommand } from './commands/migrateCommand';
import { StatusCommand } from './commands/statusCommand';

/** Every command and card verb the bot answers, registered in one place. */
export interface Routes {
  commands: ReadonlyMap<Command['kind'], CommandHandler>;
  cardActions: ReadonlyMap<string, CardActionHandler>;
}

export function buildRoutes(deps: BotDeps): Routes {
  const commands: CommandHandler[] = [
    new MigrateCommand(deps),
    new StatusCommand(deps),
    new HistoryCommand(deps),
    new HelpCommand(),
    new InvalidCommand(),
  ] as CommandHandler[];
  const cardActions: CardActionHandler[] = [
    new ApproveAction(deps),
    new CancelAction(deps),
    new RetryAction(deps),
    new RefreshAction(deps),
  ];
  return {
    commands: new Map(commands.map((c) => [c.kind, c])),
    cardActions: new Map(cardActions.map((a) => [a.verb, a])),
  };
}
