import { ActivityHandler, type AdaptiveCardInvokeResponse } from 'botbuilder';
import { createLogger, type Logger } from '../src/logger';
import { startServer, type RunningServer } from '../src/server';
import { createAdapter } from '../src/teams/adapter';
import { reportFailure, reportToParent } from './selfReport';

/**
 * The baseline: a bare botbuilder echo bot on the bot's own restify setup (same server, same CloudAdapter),
 * with no store, no cards and no Events API. What the bot costs beyond this is the bot's own.
 */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (turn, next) => {
      await turn.sendActivity(`echo: ${turn.activity.text ?? ''}`);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(): Promise<AdaptiveCardInvokeResponse> {
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'echo' as unknown as Record<string, unknown>,
    };
  }
}

export async function startEchoBot(options: { port: number; host?: string; logger?: Logger }): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('info');
  const adapter = createAdapter({}, logger);
  const bot = new EchoBot();
  return startServer({
    port: options.port,
    host: options.host,
    logger,
    onMessages: (req, res) => adapter.process(req, res, (turn) => bot.run(turn)),
    readiness: () => [],
  });
}

if (require.main === module) {
  startEchoBot({ port: Number(process.env.PORT ?? 3979) }).then(
    (server) => {
      const stop = () => server.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      reportToParent(server.port);
    },
    (err) => reportFailure(err),
  );
}
