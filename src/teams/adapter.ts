import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, type AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { turnFailed } from '../words/catalogue';
import { StoreUnavailableError } from '../migration/storeUnavailable';
import { connectorTimeout } from './connectorTimeout';
import { tokenPrecheckProblem } from './tokenPrecheck';
import { defaultVerificationGuard, VerificationGuard, type VerificationGuardOptions } from './verificationGuard';

export interface AdapterOptions {
  /** limit on each call to the Bot Connector */
  connectorTimeoutMs?: number;
  verification?: Partial<VerificationGuardOptions>;
  /** where the channel's signing keys are published (Microsoft's, unless a test says otherwise) */
  openIdMetadataUrl?: string;
}

export const DEFAULT_CONNECTOR_TIMEOUT_MS = 5_000;

/**
 * Authentication as botbuilder does it, with every token checked for what can be checked offline first and
 * the check against Microsoft's signing keys bounded in time (see VerificationGuard).
 */
class BoundedAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly guard: VerificationGuard,
  ) {
    super(settings);
  }

  override authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.bounded(authHeader, () => super.authenticateRequest(activity, authHeader));
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string) {
    return this.bounded(authHeader, () => super.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  private async bounded<T>(authHeader: string, verify: () => Promise<T>): Promise<T> {
    // No header: botbuilder decides (401 with an app id, anonymous without one), and fetches nothing.
    if (authHeader.trim() === '') return verify();
    const problem = tokenPrecheckProblem(authHeader, Date.now());
    if (problem) throw this.guard.refuse(problem);
    return this.guard.run(verify);
  }
}

/**
 * CloudAdapter from the MicrosoftApp* settings. With an app id, botbuilder checks every request's Bot
 * Framework token (401 otherwise); with none, it runs unauthenticated for local development.
 */
export function createAdapter(bot: Config['bot'], logger: Logger, options: AdapterOptions = {}): CloudAdapter {
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType ?? (bot.appId ? 'SingleTenant' : ''),
    MicrosoftAppTenantId: bot.tenantId ?? '',
  };
  if (options.openIdMetadataUrl) {
    // Setting one of these makes botbuilder expect all of them: the public cloud's, but for the keys.
    Object.assign(settings, {
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      CallerId: 'urn:botframework:azure',
      ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: options.openIdMetadataUrl,
    });
  }
  const guard = new VerificationGuard({ ...defaultVerificationGuard, ...options.verification }, logger);
  const adapter = new CloudAdapter(new BoundedAuthentication(settings, guard));
  adapter.use(connectorTimeout(options.connectorTimeoutMs ?? DEFAULT_CONNECTOR_TIMEOUT_MS));
  adapter.onTurnError = async (turn: TurnContext, error: Error) => {
    const reference = randomUUID().slice(0, 8);
    logger.error({ reference, type: turn.activity?.type, err: error }, 'turn failed');
    if (turn.activity?.type === ActivityTypes.Message) {
      try {
        await turn.sendActivity(
          turnFailed(reference, error instanceof StoreUnavailableError ? error.reason : undefined),
        );
      } catch (sendError) {
        logger.error({ reference, err: sendError }, 'could not tell the user about the failure');
      }
    }
  };
  return adapter;
}
