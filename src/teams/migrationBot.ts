import {
  ActivityHandler,
  ActivityTypes,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type SearchInvokeResponse,
  type SearchInvokeValue,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { parseCommand } from '../migration/commandParser';
import { StoreUnavailableError } from '../migration/storeUnavailable';
import { jobIdOf } from './cardActions/cardActionHandler';
import { isFromJobsConversation } from './cardActions/conversationBinding';
import type { BotDeps } from './botDeps';
import { errorInvokeResponse } from './cardMessage';
import { personFrom, teamOf, tenantOf } from './people';
import { answerSearch } from './pickers/eventSearch';
import * as words from '../words/catalogue';
import { commandRoute, isCardVerb, type Routes } from './routes';

/**
 * The Teams front door: who may talk to the bot, remembering where to post later, and dispatching to the
 * command and card-action handlers. It decides nothing about migrations itself.
 */
export class MigrationBot extends ActivityHandler {
  constructor(
    private readonly deps: BotDeps,
    private readonly routes: Routes,
  ) {
    super();
    this.onMessage(async (turn, next) => {
      await this.rememberConversation(turn);
      await this.handleCommand(turn);
      await next();
    });
    this.onInstallationUpdateAdd(async (turn, next) => {
      await this.rememberConversation(turn);
      await next();
    });
    this.onInstallationUpdateRemove(async (turn, next) => {
      await this.forgetConversation(turn);
      await next();
    });
    this.onMembersAdded(async (turn, next) => {
      const botId = turn.activity.recipient?.id;
      if (turn.activity.membersAdded?.some((m) => m.id === botId)) await this.rememberConversation(turn);
      await next();
    });
    this.onMembersRemoved(async (turn, next) => {
      const botId = turn.activity.recipient?.id;
      if (turn.activity.membersRemoved?.some((m) => m.id === botId)) await this.forgetConversation(turn);
      await next();
    });
  }

  override async run(turn: TurnContext): Promise<void> {
    const tenant = tenantOf(turn.activity);
    const allowed = this.deps.allowedTenantIds;
    if (allowed.length > 0 && (!tenant || !allowed.includes(tenant))) {
      this.deps.logger.warn(
        { tenant: tenant ?? 'none', type: turn.activity.type },
        'activity from a tenant that is not allowed; ignored',
      );
      if (turn.activity.type === ActivityTypes.Invoke) {
        await turn.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: {
            status: 403,
            body: errorInvokeResponse(403, 'TenantNotAllowed', words.TENANT_NOT_ALLOWED),
          },
        });
      }
      return;
    }
    await super.run(turn);
  }

  private async handleCommand(turn: TurnContext): Promise<void> {
    if (turn.activity.value && !turn.activity.text) {
      // An Action.Submit from an old client: the cards use Action.Execute only.
      await turn.sendActivity(words.OLD_CLIENT);
      return;
    }
    const text = TurnContext.removeRecipientMention(turn.activity) ?? turn.activity.text ?? '';
    const command = parseCommand(text);
    this.deps.logger.info(
      { command: command.kind, conversation: turn.activity.conversation?.conversationType },
      'command',
    );
    await commandRoute(this.routes.commands, command.kind).handle(turn, command, personFrom(turn.activity.from));
  }

  protected override async onAdaptiveCardInvoke(
    turn: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    try {
      return await this.routeCardAction(turn, invokeValue);
    } catch (err) {
      // An invoke always gets an answer Teams can show; without one botbuilder would answer 501 with no body.
      const reference = randomUUID().slice(0, 8);
      this.deps.logger.error({ reference, err }, 'card action failed');
      const store = err instanceof StoreUnavailableError ? err.reason : undefined;
      return errorInvokeResponse(
        store ? 503 : 500,
        store ? 'StoreUnavailable' : 'Failed',
        words.turnFailed(reference, store),
      );
    }
  }

  /** A picker's type-ahead; answered within the turn (one small Dataverse query), never with a 501. */
  protected override async onSearchInvoke(turn: TurnContext, value: SearchInvokeValue): Promise<SearchInvokeResponse> {
    try {
      return await answerSearch(this.deps, turn, value);
    } catch (err) {
      const reference = randomUUID().slice(0, 8);
      this.deps.logger.error({ reference, err }, 'search failed');
      return errorInvokeResponse(500, 'Failed', words.turnFailed(reference, undefined));
    }
  }

  private async routeCardAction(
    turn: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const data = (invokeValue.action?.data ?? {}) as Record<string, unknown>;
    // Teams sends `automatic` only to refresh a card: whatever verb it names, it is answered as a read.
    const automatic = (turn.activity.value as { trigger?: string } | undefined)?.trigger === 'automatic';
    const verb = automatic ? 'refresh' : (invokeValue.action?.verb ?? '');
    if (!isCardVerb(verb)) return errorInvokeResponse(400, 'UnknownAction', words.unknownAction(verb));
    // Every verb, now and later, acts only from its job's own conversation and tenant; checked before anything
    // is written, so a refused action changes nothing and sends nothing.
    const found = await this.deps.migrations.find(jobIdOf(data));
    if (found.kind === 'found' && !isFromJobsConversation(found.job, turn.activity)) {
      this.deps.logger.warn({ jobId: found.job.id, verb }, "card action from outside the job's conversation; refused");
      return errorInvokeResponse(403, 'WrongConversation', words.WRONG_CONVERSATION);
    }
    await this.rememberConversation(turn);
    return this.routes.cardActions[verb].handle(turn, data, personFrom(turn.activity.from));
  }

  private async rememberConversation(turn: TurnContext): Promise<void> {
    // Without the triggering message's id the reference is the same for every message of the conversation
    // (so the store can skip rewriting it), and a later send is a new message, not a reply to an old one.
    const { activityId: _message, ...reference } = TurnContext.getConversationReference(turn.activity);
    // The team, so that leaving a team forgets every channel and thread of it, not only the one it was told in.
    const teamId = teamOf(turn.activity);
    await this.deps.conversations.saveConversationReference(
      turn.activity.conversation.id,
      teamId ? { ...reference, teamId } : reference,
    );
  }

  private async forgetConversation(turn: TurnContext): Promise<void> {
    await this.deps.conversations.deleteConversationReference(turn.activity.conversation.id);
    const teamId = teamOf(turn.activity);
    if (teamId) await this.deps.conversations.deleteConversationReferencesOfTeam(teamId);
    this.deps.logger.info(
      { conversation: turn.activity.conversation?.conversationType },
      'bot removed; conversation reference dropped',
    );
  }
}
