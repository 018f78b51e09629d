import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Person } from '../../migration/types';
import * as words from '../../words/catalogue';
import type { BotDeps } from '../botDeps';
import { messageInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerWithJob, deliverAfterTurn } from './showJob';

/** Retry: a new confirmation card for the same ids, which needs its own checklist and approval. */
export class RetryAction implements CardActionHandler {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const outcome = await this.deps.migrations.retry(
      jobIdOf(data),
      person,
      turn.activity.conversation.id,
      turn.activity.id,
    );
    switch (outcome.kind) {
      case 'retry_created':
        // The new card is posted after the turn, like every other message the bot sends.
        deliverAfterTurn(this.deps, outcome.job.id);
        if (outcome.job.preflight) {
          const jobId = outcome.job.id;
          this.deps.afterTurn.run('pre-flight checks', () => this.deps.migrations.checkPreflight(jobId));
        }
        return answerWithJob(this.deps, turn, outcome.original, { refusal: { message: words.RETRY_POSTED } });
      case 'blocked':
        return answerWithJob(this.deps, turn, outcome.original, {
          refusal: { message: words.blockedText(outcome.blockedBy, this.deps.clock.now()) },
        });
      case 'unchanged':
        return answerWithJob(this.deps, turn, outcome.job, { refusal: { message: words.unchangedText(outcome) } });
      case 'not_found':
        return messageInvokeResponse(words.unknownJob());
    }
  }
}
