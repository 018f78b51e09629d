import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import { inEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import type { CommandHandler } from './commandHandler';

/** `history`: the last migrations of this environment, newest first. */
export class HistoryCommand implements CommandHandler<'history'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'history' }>): Promise<void> {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const text = messages.history(await environment.migrations.history(messages.HISTORY_LIMIT));
    await turn.sendActivity(inEnvironment(this.deps.environments.mark(environment), text));
  }
}
