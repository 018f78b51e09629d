import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import type { Person } from '../../migration/types';
import { inEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import { cardActivity, cardJson } from '../cardMessage';
import { tenantOf } from '../people';
import type { CommandHandler } from './commandHandler';

/**
 * `migrate <outbound id> new`: a request whose real-time event the bot makes after approval. Refused in words,
 * with no card to approve, when Dataverse is off or the app user may not create events.
 */
export class MigrateNewCommand implements CommandHandler<'migrate_new'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'migrate_new' }>, person: Person): Promise<void> {
    const { clock, environments } = this.deps;
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const { migrations } = environment;
    const view = { ...environments.viewOf({ environment: environment.key }), now: clock.now() };
    const outcome = await migrations.requestNewTarget({
      fromEventId: command.fromEventId,
      requester: person,
      conversationId: turn.activity.conversation.id,
      tenantId: tenantOf(turn.activity),
      requestActivityId: turn.activity.id,
    });
    if (outcome.kind === 'refused') {
      await turn.sendActivity(inEnvironment(view.environment, messages.draftRefusalText(outcome.refusal)));
      return;
    }
    if (outcome.kind === 'duplicate') {
      const sent = await turn.sendActivity(cardActivity(cardJson(outcome.job, view)));
      if (sent?.id) await migrations.recordCard(outcome.job.id, sent.id, turn.activity.conversation.id);
      return;
    }
    if (outcome.kind === 'blocked') {
      const card = cardJson(outcome.draft, {
        now: view.now,
        environment: view.environment,
        blockedBy: outcome.blockedBy,
      });
      await turn.sendActivity(
        cardActivity(card, inEnvironment(view.environment, messages.blockedText(outcome.blockedBy, view.now))),
      );
      return;
    }
    const sent = await turn.sendActivity(cardActivity(cardJson(outcome.job, view)));
    if (sent?.id) await migrations.recordCard(outcome.job.id, sent.id);
    const jobId = outcome.job.id;
    if (outcome.job.preflight) this.deps.afterTurn.run('pre-flight checks', () => migrations.checkPreflight(jobId));
  }
}
