import type { EnvironmentMark } from '../migration/environments';
import { inEnvironment } from '../words/environmentText';
import type { CloudAdapter, ConversationReference, Mention, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import type { ApprovalRules } from '../migration/approvalPolicy';
import { noticeText } from '../words/catalogue';
import { mentionTag } from '../words/escape';
import { personName } from '../words/format';
import type { OperatorMetrics } from '../migration/operatorMetrics';
import type { DeliveryResult, Notifier } from '../migration/ports';
import type { Clock, Job, Notice, Plan } from '../migration/types';
import type { ConversationBook } from './botDeps';
import { cardActivity, cardJson } from './cardMessage';
import { describeConnectorError, withConnectorRetry, type ConnectorRetryOptions } from './connectorRetry';
import { channelOf } from './people';
import { planCardJson } from './planCardMessage';

/**
 * Proactive delivery into the job's conversation: the card is updated in place, notices are posted.
 * Sends to one conversation are spaced out to stay under Teams' per-thread rate limits.
 */
export class TeamsNotifier implements Notifier {
  private readonly lastSend = new Map<string, number>();

  constructor(
    private readonly deps: {
      adapter: CloudAdapter;
      appId: string;
      conversations: Pick<ConversationBook, 'getConversationReference'>;
      clock: Clock;
      logger: Logger;
      retry: ConnectorRetryOptions;
      /** minimum gap between two sends to one conversation */
      minGapMs: number;
      /**
       * the job's environment's approval rules, which decide who gets a view of their own (the card's refresh
       * section), and its name when there are several
       */
      viewOf: (job: Job) => { rules: ApprovalRules; environment?: EnvironmentMark };
      /** counts each send's outcome for the operators */
      metrics?: Pick<OperatorMetrics, 'connectorSend'>;
    },
  ) {}

  async showCard(job: Job): Promise<DeliveryResult> {
    const card = cardJson(job, { now: this.deps.clock.now(), ...this.deps.viewOf(job) });
    return this.send(job, job.conversationId, async (turn) => {
      if (job.cardActivityId) {
        try {
          await turn.updateActivity({ ...cardActivity(card), id: job.cardActivityId });
          return job.cardActivityId;
        } catch (err) {
          // The card message is gone (deleted, or an old thread): post the card anew instead.
          if (describeConnectorError(err).status !== 404) throw err;
          this.deps.logger.warn({ jobId: job.id }, 'card message not found; posting a new one');
        }
      }
      return (await turn.sendActivity(cardActivity(card)))?.id;
    });
  }

  /** In place only: the plan's card is posted by its message's turn, and a gone card is not posted again. */
  async showPlanCard(plan: Plan, jobs: readonly Job[]): Promise<DeliveryResult> {
    const first = jobs[0];
    const id = plan.cardActivityId;
    if (!first || !id) return { status: 'sent' };
    const card = planCardJson(plan, jobs, { now: this.deps.clock.now(), ...this.deps.viewOf(first) });
    return this.send(first, plan.conversationId, async (turn) => {
      await turn.updateActivity({ ...cardActivity(card), id });
      return id;
    });
  }

  async post(job: Job, notice: Notice): Promise<DeliveryResult> {
    const target = notice.inThread ? job.conversationId : channelOf(job.conversationId);
    const worded = noticeText(job, notice);
    const text = inEnvironment(this.deps.viewOf(job).environment, worded.text);
    const { mentions } = worded;
    return this.send(job, target, async (turn) => {
      // Teams shows a mention only when the entity's text is exactly the one in the message, which names
      // people as the domain's messages do (personName: a blank name falls back to the id).
      const entities: Mention[] = mentions.map((p) => ({
        type: 'mention',
        text: mentionTag(p),
        mentioned: { id: p.id, name: personName(p) },
      }));
      return (await turn.sendActivity({ type: 'message', text, entities, textFormat: 'markdown' }))?.id;
    });
  }

  private async send(
    job: Job,
    conversationId: string,
    logic: (turn: TurnContext) => Promise<string | undefined>,
  ): Promise<DeliveryResult> {
    const stored = (await this.deps.conversations.getConversationReference(job.conversationId)) as
      Partial<ConversationReference> | undefined;
    if (!stored?.conversation) return { status: 'no_conversation' };
    // Without activityId the send is a new message in the thread (or channel), not a reply to an old activity.
    const reference = {
      ...stored,
      activityId: undefined,
      conversation: { ...stored.conversation, id: conversationId },
    } as Partial<ConversationReference>;
    try {
      const activityId = await withConnectorRetry(
        async () => {
          await this.pace(channelOf(conversationId));
          return this.continueWith(reference, logic);
        },
        this.deps.retry,
        (failure, attempt, delayMs) => {
          this.count(failure.status === 429 ? 'throttled' : 'retried');
          this.deps.logger.warn(
            { jobId: job.id, status: failure.status, attempt, delayMs },
            'connector refused a send; retrying',
          );
        },
      );
      this.count('ok');
      return { status: 'sent', activityId };
    } catch (err) {
      const failure = describeConnectorError(err);
      this.count(failure.status === 403 ? 'forbidden' : failure.status === 404 ? 'not_found' : 'failed');
      if (failure.status === 403) return { status: 'blocked', reason: failure.code ?? 'Forbidden' };
      if (failure.status === 404) return { status: 'blocked', reason: failure.code ?? 'ConversationNotFound' };
      return { status: 'failed', reason: `${failure.status ?? 'network'}: ${failure.message.slice(0, 200)}` };
    }
  }

  private count(outcome: Parameters<OperatorMetrics['connectorSend']>[0]): void {
    this.deps.metrics?.connectorSend(outcome);
  }

  /** Errors inside the logic would go to onTurnError and be swallowed; carry them out instead. */
  private async continueWith(
    reference: Partial<ConversationReference>,
    logic: (turn: TurnContext) => Promise<string | undefined>,
  ): Promise<string | undefined> {
    let outcome: { id?: string; error?: unknown } = {};
    await this.deps.adapter.continueConversationAsync(this.deps.appId, reference, async (turn) => {
      try {
        outcome = { id: await logic(turn) };
      } catch (error) {
        outcome = { error };
      }
    });
    if (outcome.error) throw outcome.error;
    return outcome.id;
  }

  private async pace(conversationKey: string): Promise<void> {
    const now = Date.now();
    const next = Math.max(now, (this.lastSend.get(conversationKey) ?? 0) + this.deps.minGapMs);
    this.lastSend.set(conversationKey, next);
    if (next > now) await new Promise((r) => setTimeout(r, next - now));
  }
}
