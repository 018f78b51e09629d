import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Person } from '../../migration/types';
import type { BotDeps } from '../botDeps';
import { messageInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerWithJob, refreshForEveryone } from './showJob';

/** Cancel a request that is still waiting for approval; nothing is called. */
export class CancelAction implements CardActionHandler {
  readonly verb = 'cancel';

  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const outcome = await this.deps.service.cancel(jobIdOf(data), person);
    switch (outcome.kind) {
      case 'cancelled':
        refreshForEveryone(this.deps, outcome.job.id);
        return answerWithJob(this.deps, turn, outcome.job, { actor: person });
      case 'refused':
        return answerWithJob(this.deps, turn, outcome.job, { inputs: data, refusal: { message: outcome.message } });
      case 'unchanged':
        refreshForEveryone(this.deps, outcome.job.id);
        return answerWithJob(this.deps, turn, outcome.job, { refusal: { message: outcome.message } });
      default:
        return messageInvokeResponse(outcome.kind === 'not_found' ? outcome.message : 'Nothing to do.');
    }
  }
}
