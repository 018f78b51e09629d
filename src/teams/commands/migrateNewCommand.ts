import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import type { Person } from '../../migration/types';
import { inEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import { tenantOf } from '../people';
import type { CommandHandler } from './commandHandler';
import { answerRequest } from './requestAnswer';

/**
 * `migrate <outbound id> new`: a request whose real-time event the bot makes after approval. Refused in words,
 * with no card to approve, when Dataverse is off or the app user may not create events.
 */
export class MigrateNewCommand implements CommandHandler<'migrate_new'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'migrate_new' }>, person: Person): Promise<void> {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const outcome = await environment.migrations.requestNewTarget({
      fromEventId: command.fromEventId,
      requester: person,
      conversationId: turn.activity.conversation.id,
      tenantId: tenantOf(turn.activity),
      requestActivityId: turn.activity.id,
    });
    if (outcome.kind === 'refused') {
      const mark = this.deps.environments.mark(environment);
      await turn.sendActivity(inEnvironment(mark, messages.draftRefusalText(outcome.refusal)));
      return;
    }
    await answerRequest(this.deps, turn, environment, outcome);
  }
}
