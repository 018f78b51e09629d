import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { BotDeps } from '../botDeps';
import type { CommandHandler } from './commandHandler';

/** `status`: the current or last migration of this environment, from the store and the last status read. */
export class StatusCommand implements CommandHandler<'status'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext): Promise<void> {
    await turn.sendActivity(messages.status(await this.deps.migrations.current(), this.deps.clock.now()));
  }
}
