import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { JobCardContext } from '../../migration/jobView';
import type { Job } from '../../migration/types';
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
  if (!job.cardActivityId && replyToId && job.conversationId === turn.activity.conversation.id) {
    await deps.store.update(job.id, { cardActivityId: replyToId });
  }
  // The answer is shown to the one who clicked: drawn for them (no Approve if they may not approve).
  const viewer = personFrom(turn.activity.from);
  return cardInvokeResponse(cardJson(job, { now: deps.clock.now(), rules: deps.rules, viewer, ...ctx }));
}

/** After the turn: redraw the shared card for everyone, through the same path as every other update. */
export function refreshForEveryone(deps: BotDeps, jobId: string): void {
  deps.afterTurn.run('refresh card', () => deps.dispatcher.flush(jobId));
}
