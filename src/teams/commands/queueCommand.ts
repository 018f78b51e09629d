import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import { queueSchedule } from '../../migration/queueSchedule';
import { inEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import type { CommandHandler } from './commandHandler';

/** `queue`: what runs and what waits in this environment, in order, with the expected times. */
export class QueueCommand implements CommandHandler<'queue'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'queue' }>): Promise<void> {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const now = this.deps.clock.now();
    const schedule = queueSchedule(await environment.migrations.queue(), now);
    await turn.sendActivity(inEnvironment(this.deps.environments.mark(environment), messages.queueText(schedule)));
  }
}
