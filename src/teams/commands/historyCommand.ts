import type { TurnContext } from 'botbuilder';
import * as messages from '../../migration/messages';
import type { BotDeps } from '../botDeps';
import type { CommandHandler } from './commandHandler';

/** `history`: the last migrations of this environment, newest first. */
export class HistoryCommand implements CommandHandler<'history'> {
  readonly kind = 'history' as const;

  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext): Promise<void> {
    const { store, environment, clock } = this.deps;
    await turn.sendActivity(messages.history(await store.listJobs(environment, messages.HISTORY_LIMIT), clock.now()));
  }
}
