import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Person } from '../../migration/types';
import * as words from '../../words/catalogue';
import type { BotDeps } from '../botDeps';
import { messageInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerUnchanged, answerWithJob, deliverAfterTurn } from './showJob';

/** "Stop following" on the job's card: answers with the confirmation (to the clicker only); nothing changes. */
export class ForgetAction implements CardActionHandler {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const outcome = await this.deps.migrations.askToForget(jobIdOf(data), person);
    switch (outcome.kind) {
      case 'confirm':
        return answerWithJob(this.deps, turn, outcome.job, { confirmForget: true });
      case 'refused':
        return answerWithJob(this.deps, turn, outcome.job, {
          refusal: { message: words.refusalText(outcome.refusal) },
        });
      case 'unchanged':
        return answerUnchanged(this.deps, turn, outcome);
      case 'not_found':
        return messageInvokeResponse(words.unknownJob());
    }
  }
}

/** "Stop following" on the confirmation: the job ends as abandoned and the environment is free; the service is not told. */
export class ConfirmForgetAction implements CardActionHandler {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const outcome = await this.deps.migrations.forget(jobIdOf(data), person);
    switch (outcome.kind) {
      case 'abandoned':
        deliverAfterTurn(this.deps, outcome.job.id);
        return answerWithJob(this.deps, turn, outcome.job, { actor: person });
      case 'refused':
        return answerWithJob(this.deps, turn, outcome.job, {
          confirmForget: true,
          refusal: { message: words.refusalText(outcome.refusal) },
        });
      case 'unchanged':
        return answerUnchanged(this.deps, turn, outcome);
      case 'not_found':
        return messageInvokeResponse(words.unknownJob());
    }
  }
}
