import type { TurnContext } from 'botbuilder';
import type { Command } from '../../migration/commandParser';
import type { Person } from '../../migration/types';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import { tenantOf } from '../people';
import type { CommandHandler } from './commandHandler';
import { answerRequest } from './requestAnswer';

/** `migrate <from> <to>`: a stored request and its confirmation card, or a card saying why not. */
export class MigrateCommand implements CommandHandler<'migrate'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'migrate' }>, person: Person): Promise<void> {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const outcome = await environment.migrations.request({
      fromEventId: command.fromEventId,
      toEventId: command.toEventId,
      requester: person,
      conversationId: turn.activity.conversation.id,
      tenantId: tenantOf(turn.activity),
      requestActivityId: turn.activity.id,
    });
    await answerRequest(this.deps, turn, environment, outcome);
  }
}
