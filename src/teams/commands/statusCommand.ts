import type { TurnContext } from 'botbuilder';
import * as messages from '../../migration/messages';
import type { BotDeps } from '../botDeps';
import type { CommandHandler } from './commandHandler';

/** `status`: the current or last migration of this environment, from the store and the last status read. */
export class StatusCommand implements CommandHandler<'status'> {
  readonly kind = 'status' as const;

  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext): Promise<void> {
    const { store, environment, clock } = this.deps;
    const job = (await store.activeJob(environment)) ?? (await store.listJobs(environment, 1))[0];
    await turn.sendActivity(messages.status(job, clock.now()));
  }
}
