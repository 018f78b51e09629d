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

/** `migrate <from> <to>`: a stored request and its confirmation card, or a card saying why not. */
export class MigrateCommand implements CommandHandler<'migrate'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'migrate' }>, person: Person): Promise<void> {
    const { clock, environments } = this.deps;
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const { migrations } = environment;
    const view = { ...environments.viewOf({ environment: environment.key }), now: clock.now() };
    const outcome = await migrations.request({
      fromEventId: command.fromEventId,
      toEventId: command.toEventId,
      requester: person,
      conversationId: turn.activity.conversation.id,
      tenantId: tenantOf(turn.activity),
      requestActivityId: turn.activity.id,
    });
    if (outcome.kind === 'duplicate') {
      // Teams delivered the same message again: the card it already got, as the job is now.
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
    const ahead = outcome.job.aheadInQueue ?? 0;
    const inLine = ahead > 0 ? messages.inLineText(await migrations.current(), ahead, view.now) : undefined;
    const words = inLine ? inEnvironment(view.environment, inLine) : undefined;
    const sent = await turn.sendActivity(cardActivity(cardJson(outcome.job, view), words));
    if (sent?.id) await migrations.recordCard(outcome.job.id, sent.id);
    // The card is answered at once; the Dataverse checks fill it in place when they return.
    const jobId = outcome.job.id;
    if (outcome.job.preflight) this.deps.afterTurn.run('pre-flight checks', () => migrations.checkPreflight(jobId));
  }
}
