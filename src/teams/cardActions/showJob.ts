import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Job } from '../../migration/types';
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
  if (replyToId) await deps.migrations.recordCard(job.id, replyToId, turn.activity.conversation.id);
  // The answer is shown to the one who clicked: drawn for them (no Approve if they may not approve).
  const viewer = personFrom(turn.activity.from);
  return cardInvokeResponse(cardJson(job, { now: deps.clock.now(), rules: deps.rules, viewer, ...ctx }));
}

/** After the turn: deliver what is owed to the shared card, through the same path as every other update. */
export function deliverAfterTurn(deps: BotDeps, jobId: string): void {
  deps.afterTurn.run('refresh card', () => deps.migrations.deliver(jobId));
}
