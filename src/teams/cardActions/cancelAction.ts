import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Person } from '../../migration/types';
import * as words from '../../words/catalogue';
import type { BotDeps } from '../botDeps';
import { messageInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerUnchanged, answerWithJob, deliverAfterTurn } from './showJob';

/** Cancel a request that is still waiting for approval; nothing is called. */
export class CancelAction implements CardActionHandler {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const outcome = await this.deps.migrations.cancel(jobIdOf(data), person);
    switch (outcome.kind) {
      case 'cancelled':
        deliverAfterTurn(this.deps, outcome.job.id);
        return answerWithJob(this.deps, turn, outcome.job, { actor: person });
      case 'refused':
        return answerWithJob(this.deps, turn, outcome.job, {
          inputs: data,
          refusal: { message: words.refusalText(outcome.refusal) },
        });
      case 'unchanged':
        return answerUnchanged(this.deps, turn, outcome);
      case 'not_found':
        return messageInvokeResponse(words.unknownJob());
    }
  }
}
