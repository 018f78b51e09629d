import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Request, Response } from 'restify';
import { logScope, type Logger } from '../logger';
import { activityShapeProblem } from './activityShape';

/**
 * POST /api/messages: a body that is not an activity gets a 400 naming what is wrong (and nothing of the
 * bot's internals); everything else goes to botbuilder.
 */
export function messagesEndpoint(adapter: CloudAdapter, bot: ActivityHandler, logger: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const problem = activityShapeProblem(req.body);
    if (problem) {
      logger.warn({ problem }, 'refused a request that is not an activity');
      res.send(400, { error: `not a Bot Framework activity: ${problem}` });
      return;
    }
    // Every line of the turn, and of the work it leaves behind, names the activity and its conversation.
    const activity = req.body as { id?: unknown; conversation?: { id?: unknown } };
    const scope = {
      activityId: typeof activity.id === 'string' ? activity.id : undefined,
      conversationId: typeof activity.conversation?.id === 'string' ? activity.conversation.id : undefined,
    };
    await logScope.run(scope, () => adapter.process(req, res, (turn) => bot.run(turn)));
  };
}
