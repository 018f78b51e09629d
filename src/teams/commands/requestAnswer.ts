import type { TurnContext } from 'botbuilder';
import type { Environment } from '../../migration/environments';
import type { RequestOutcome } from '../../migration/outcomes';
import * as messages from '../../words/catalogue';
import { inEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { cardActivity, cardJson } from '../cardMessage';

/**
 * The answer to a stored request, whichever command made it (`migrate <a> <b>`, `migrate <a> new`, a name or a
 * picker): the card Teams already got when it delivered the message again, the card saying why not, or the new
 * confirmation card (with its place in line) whose Dataverse checks then fill it in place.
 */
export async function answerRequest(
  deps: Pick<BotDeps, 'clock' | 'environments' | 'afterTurn'>,
  turn: TurnContext,
  environment: Environment,
  outcome: RequestOutcome,
): Promise<void> {
  const { migrations } = environment;
  const view = { ...deps.environments.viewOf({ environment: environment.key }), now: deps.clock.now() };
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
    const why = inEnvironment(view.environment, messages.blockedText(outcome.blockedBy, view.now));
    await turn.sendActivity(cardActivity(card, why));
    return;
  }
  const ahead = outcome.job.aheadInQueue ?? 0;
  const inLine = ahead > 0 ? messages.inLineText(await migrations.current(), ahead, view.now) : undefined;
  const words = inLine ? inEnvironment(view.environment, inLine) : undefined;
  const sent = await turn.sendActivity(cardActivity(cardJson(outcome.job, view), words));
  if (sent?.id) await migrations.recordCard(outcome.job.id, sent.id);
  const jobId = outcome.job.id;
  if (outcome.job.preflight) deps.afterTurn.run('pre-flight checks', () => migrations.checkPreflight(jobId));
}
