import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Person } from '../../migration/types';
import type { BotDeps } from '../botDeps';
import { messageInvokeResponse } from '../cardMessage';
import { jobIdOf, type CardActionHandler } from './cardActionHandler';
import { answerWithJob, refreshForEveryone } from './showJob';

/**
 * Approve: checked and written at once, answered at once; the Events API is called after the turn, so a slow
 * service cannot make Teams time out and re-send. A re-sent or double click finds the job no longer pending.
 */
export class ApproveAction implements CardActionHandler {
  readonly verb = 'approve';

  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const { service, tracker, dispatcher, afterTurn, logger } = this.deps;
    const outcome = await service.approve(jobIdOf(data), person, data);
    switch (outcome.kind) {
      case 'approved': {
        const jobId = outcome.job.id;
        logger.info({ jobId, approver: person.aadObjectId ?? person.id }, 'migration approved');
        afterTurn.run('start migration', async () => {
          await dispatcher.flush(jobId);
          const started = await service.startApproved(jobId);
          if (started?.state === 'running') tracker.track(started);
          await dispatcher.flush(jobId);
        });
        return answerWithJob(this.deps, turn, outcome.job);
      }
      case 'refused':
        return answerWithJob(this.deps, turn, outcome.job, {
          inputs: data,
          refusal: { message: outcome.message, missing: outcome.missing },
        });
      case 'unchanged':
        refreshForEveryone(this.deps, outcome.job.id);
        return answerWithJob(this.deps, turn, outcome.job, { refusal: { message: outcome.message } });
      default:
        return messageInvokeResponse(outcome.kind === 'not_found' ? outcome.message : 'Nothing to do.');
    }
  }
}
