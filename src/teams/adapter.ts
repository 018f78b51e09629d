import { randomUUID } from 'node:crypto';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { turnFailed } from '../words/catalogue';

/**
 * CloudAdapter from the MicrosoftApp* settings. With an app id, botbuilder checks every request's Bot
 * Framework token (401 otherwise); with none, it runs unauthenticated for local development.
 */
export function createAdapter(bot: Config['bot'], logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType ?? (bot.appId ? 'SingleTenant' : ''),
    MicrosoftAppTenantId: bot.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (turn: TurnContext, error: Error) => {
    const reference = randomUUID().slice(0, 8);
    logger.error({ reference, type: turn.activity?.type, err: error }, 'turn failed');
    if (turn.activity?.type === ActivityTypes.Message) {
      try {
        await turn.sendActivity(turnFailed(reference));
      } catch (sendError) {
        logger.error({ reference, err: sendError }, 'could not tell the user about the failure');
      }
    }
  };
  return adapter;
}
