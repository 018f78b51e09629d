import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { BotDeps } from '../botDeps';
import type { CommandHandler } from './commandHandler';

/** `history`: the last migrations of this environment, newest first. */
export class HistoryCommand implements CommandHandler<'history'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext): Promise<void> {
    await turn.sendActivity(messages.history(await this.deps.migrations.history(messages.HISTORY_LIMIT)));
  }
}
