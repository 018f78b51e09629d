import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import * as messages from '../../migration/messages';
import type { Person } from '../../migration/types';
import type { BotDeps } from '../botDeps';
import { messageInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerWithJob } from './showJob';

/** Retry: a new confirmation card for the same ids, which needs its own checklist and approval. */
export class RetryAction implements CardActionHandler {
  readonly verb = 'retry';

  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const { service, store, dispatcher, afterTurn } = this.deps;
    const outcome = await service.retry(jobIdOf(data), person, turn.activity.conversation.id);
    switch (outcome.kind) {
      case 'retry_created': {
        // The new card is posted by the dispatcher after the turn, like every other message the bot sends.
        await store.update(outcome.job.id, { cardDirty: true });
        afterTurn.run('post retry card', () => dispatcher.flush(outcome.job.id));
        return answerWithJob(this.deps, turn, outcome.original, {
          refusal: {
            message: 'A new confirmation card was posted for the same events: tick its checklist and approve it there.',
          },
        });
      }
      case 'blocked':
        return answerWithJob(this.deps, turn, (await store.getJob(jobIdOf(data))) ?? outcome.draft, {
          refusal: { message: messages.blockedText(outcome.blockedBy) },
        });
      case 'unchanged':
        return answerWithJob(this.deps, turn, outcome.job, { refusal: { message: outcome.message } });
      case 'not_found':
        return messageInvokeResponse(outcome.message);
      default:
        return messageInvokeResponse('Nothing to do.');
    }
  }
}
