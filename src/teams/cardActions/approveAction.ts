import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Person } from '../../migration/types';
import * as words from '../../words/catalogue';
import type { BotDeps } from '../botDeps';
import { messageInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerUnchanged, answerWithJob, deliverAfterTurn } from './showJob';

/**
 * Approve: checked and written at once, answered at once; the start and the following run after the turn, so a
 * slow service cannot make Teams time out and re-send. A re-sent or double click finds the job no longer pending.
 */
export class ApproveAction implements CardActionHandler {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const { migrations, afterTurn, logger } = this.deps;
    const outcome = await migrations.approve(jobIdOf(data), person, data);
    switch (outcome.kind) {
      case 'approved': {
        const jobId = outcome.job.id;
        logger.info({ jobId, approver: person.aadObjectId ?? person.id }, 'migration approved');
        afterTurn.run('start migration', () => migrations.startAndFollow(jobId));
        return answerWithJob(this.deps, turn, outcome.job);
      }
      case 'queued': {
        const jobId = outcome.job.id;
        logger.info({ jobId, approver: person.aadObjectId ?? person.id }, 'migration approved into the queue');
        // the slot may have come free meanwhile: the queue looks once more after the turn
        afterTurn.run('move the queue on', () => migrations.advanceQueue(jobId));
        return answerWithJob(this.deps, turn, outcome.job);
      }
      case 'refused':
        // fresh evidence was stored on the job: the shared card shows it too
        if (outcome.refusal.kind === 'preflight') deliverAfterTurn(this.deps, outcome.job.id);
        return answerWithJob(this.deps, turn, outcome.job, {
          inputs: data,
          refusal: {
            message: words.refusalText(outcome.refusal),
            missing: outcome.refusal.kind === 'checklist' ? outcome.refusal.missing : undefined,
          },
        });
      case 'unchanged':
        return answerUnchanged(this.deps, turn, outcome);
      case 'not_found':
        return messageInvokeResponse(words.unknownJob());
    }
  }
}
