import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { isStoreUnavailable } from '../../migration/storeUnavailable';
import type { Unchanged } from '../../migration/outcomes';
import type { Job } from '../../migration/types';
import { unchangedText } from '../../words/catalogue';
import type { JobCardContext } from '../../cards/views/jobCard';
import type { BotDeps } from '../botDeps';
import { cardInvokeResponse, cardJson } from '../cardMessage';
import { personFrom } from '../people';

/**
 * Answers an invoke with the job's card, and makes sure the shared card can be updated in place later:
 * the invoke's replyToId is the card message's id.
 */
export async function answerWithJob(
  deps: BotDeps,
  turn: TurnContext,
  job: Job,
  ctx: Omit<JobCardContext, 'now'> = {},
): Promise<AdaptiveCardInvokeResponse> {
  const replyToId = turn.activity.replyToId;
  if (replyToId) {
    try {
      await deps.migrations.recordCard(job.id, replyToId, turn.activity.conversation.id);
    } catch (err) {
      // Where the card is only saves a new post later; the answer (and what the action did) must not depend on it.
      if (!isStoreUnavailable(err)) throw err;
      deps.logger.warn({ jobId: job.id, err }, 'could not record the card message; answering anyway');
    }
  }
  // The answer is shown to the one who clicked: drawn for them (no Approve if they may not approve).
  const viewer = personFrom(turn.activity.from);
  return cardInvokeResponse(cardJson(job, { now: deps.clock.now(), ...deps.environments.viewOf(job), viewer, ...ctx }));
}

/** After the turn: deliver what is owed to the shared card, through the same path as every other update. */
export function deliverAfterTurn(deps: BotDeps, jobId: string): void {
  deps.afterTurn.run('refresh card', () => deps.migrations.deliver(jobId));
}

/**
 * The job is no longer waiting for this action (a double click, a re-sent invoke, an expired card): the clicker
 * sees the card as it is now with why, and everyone else's copy is brought up to date after the turn.
 */
export function answerUnchanged(
  deps: BotDeps,
  turn: TurnContext,
  outcome: Unchanged,
): Promise<AdaptiveCardInvokeResponse> {
  deliverAfterTurn(deps, outcome.job.id);
  return answerWithJob(deps, turn, outcome.job, { refusal: { message: unchangedText(outcome) } });
}
