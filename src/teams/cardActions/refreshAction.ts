import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { BotDeps } from '../botDeps';
import { errorInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerWithJob } from './showJob';

/**
 * A card refresh: Teams asks for this viewer's own card (the card's `refresh` section). A read: it never acts on
 * the job, and never updates the shared card, which would make Teams refresh again, in a loop.
 */
export class RefreshAction implements CardActionHandler {
  readonly verb = 'refresh';

  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
    const job = await this.deps.store.getJob(jobIdOf(data));
    if (!job) return errorInvokeResponse(404, 'NotFound', 'This card refers to a migration the bot does not know.');
    return answerWithJob(this.deps, turn, job);
  }
}
