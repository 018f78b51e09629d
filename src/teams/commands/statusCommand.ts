import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import { inEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import type { CommandHandler } from './commandHandler';

/** `status`: the current or last migration of this environment, from the store and the last status read. */
export class StatusCommand implements CommandHandler<'status'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'status' }>): Promise<void> {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const text = messages.status(await environment.migrations.current(), this.deps.clock.now());
    await turn.sendActivity(inEnvironment(this.deps.environments.mark(environment), text));
  }
}
