import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import * as words from '../../words/catalogue';
import type { BotDeps } from '../botDeps';
import { errorInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerWithJob } from './showJob';

/**
 * A card refresh: Teams asks for this viewer's own card (the card's `refresh` section). A read: it never acts on
 * the job, and never updates the shared card, which would make Teams refresh again, in a loop.
 */
export class RefreshAction implements CardActionHandler {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
    const found = await this.deps.migrations.find(jobIdOf(data));
    if (found.kind === 'not_found') return errorInvokeResponse(404, 'NotFound', words.unknownJob(false));
    return answerWithJob(this.deps, turn, found.job);
  }
}
