import { parseCommand, type Command } from '../migration/commandParser';
import type { BotDeps } from './botDeps';
import { ApproveAction } from './cardActions/approveAction';
import { CancelAction } from './cardActions/cancelAction';
import type { CardActionHandler } from './cardActions/cardActionHandler';
import { ConfirmForgetAction, ForgetAction } from './cardActions/forgetAction';
import { PickEventsAction, type TypedCommand } from './cardActions/pickEventsAction';
import { RefreshAction } from './cardActions/refreshAction';
import { RetryAction } from './cardActions/retryAction';
import type { CommandHandler } from './commands/commandHandler';
import { CheckCommand } from './commands/checkCommand';
import { ForgetCommand } from './commands/forgetCommand';
import { HelpCommand } from './commands/helpCommand';
import { HistoryCommand } from './commands/historyCommand';
import { InvalidCommand } from './commands/invalidCommand';
import { MigrateCommand } from './commands/migrateCommand';
import { MigrateNamedCommand } from './commands/migrateNamedCommand';
import { PickEvents } from './commands/pickEvents';
import { MigrateNewCommand } from './commands/migrateNewCommand';
import { MissingCommand } from './commands/missingCommand';
import { QueueCommand } from './commands/queueCommand';
import { StatusCommand } from './commands/statusCommand';
import { UseCommand } from './commands/useCommand';

/**
 * Every command and card verb the bot answers, registered in one place. Both registries are keyed by a closed
 * type, so a command kind or a verb without a handler does not compile (and a test checks the cards' verbs).
 */

export const CARD_VERBS = ['approve', 'cancel', 'retry', 'refresh', 'forget', 'confirm_forget', 'pick_events'] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

export type CommandRoutes = { [K in Command['kind']]: CommandHandler<K> };
export type CardRoutes = { [V in CardVerb]: CardActionHandler };

export interface Routes {
  commands: CommandRoutes;
  cardActions: CardRoutes;
}

export function buildRoutes(deps: BotDeps): Routes {
  const migrate = new MigrateCommand(deps);
  const migrateNew = new MigrateNewCommand(deps);
  const commands: CommandRoutes = {
    migrate,
    migrate_new: migrateNew,
    migrate_named: new MigrateNamedCommand(deps, migrate, migrateNew),
    status: new StatusCommand(deps),
    history: new HistoryCommand(deps),
    check: new CheckCommand(deps),
    queue: new QueueCommand(deps),
    forget: new ForgetCommand(deps),
    missing: new MissingCommand(deps),
    use: new UseCommand(deps),
    help: new HelpCommand(),
    invalid: new InvalidCommand(new PickEvents(deps)),
  };
  const typed: TypedCommand = async (turn, text, person) => {
    const command = parseCommand(text);
    await commandRoute(commands, command.kind).handle(turn, command, person);
  };
  return {
    commands,
    cardActions: {
      approve: new ApproveAction(deps),
      cancel: new CancelAction(deps),
      retry: new RetryAction(deps),
      refresh: new RefreshAction(deps),
      forget: new ForgetAction(deps),
      confirm_forget: new ConfirmForgetAction(deps),
      pick_events: new PickEventsAction(deps, typed),
    },
  };
}

/** The handler of one command kind, typed for exactly that kind's command. */
export function commandRoute<K extends Command['kind']>(routes: CommandRoutes, kind: K): CommandHandler<K> {
  return routes[kind];
}

export function isCardVerb(verb: string): verb is CardVerb {
  return (CARD_VERBS as readonly string[]).includes(verb);
}
