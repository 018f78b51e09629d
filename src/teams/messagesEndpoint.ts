import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Logger } from '../logger';
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
    await adapter.process(req, res, (turn) => bot.run(turn));
  };
}
