import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { PlanDecisionOutcome } from '../../migration/plans';
import type { Person } from '../../migration/types';
import * as words from '../../words/catalogue';
import { PLAN_ALREADY_DECIDED, PLAN_NOT_FOUND, PLAN_TOO_LATE } from '../../words/planText';
import type { BotDeps } from '../botDeps';
import { cardActivity, cardInvokeResponse, messageInvokeResponse } from '../cardMessage';
import { describeConnectorError } from '../connectorRetry';
import { planCardJson } from '../planCardMessage';
import { personFrom } from '../people';
import type { CardActionHandler } from './cardActionHandler';

/**
 * A plan card's Approve and Cancel. The data carries the plan's first job's id too, so the check every verb
 * gets (its job's own conversation and tenant) applies to the plan as to a single job. Answered with the plan
 * card as it is now; the starts run after the turn.
 */

function planIdOf(data: Record<string, unknown>): string {
  return typeof data.planId === 'string' ? data.planId : '';
}

async function answer(
  deps: BotDeps,
  turn: TurnContext,
  outcome: Exclude<PlanDecisionOutcome, { kind: 'not_found' }>,
  extra: { inputs?: Record<string, unknown>; refusal?: string } = {},
): Promise<AdaptiveCardInvokeResponse> {
  const { plan, jobs } = outcome;
  const replyToId = turn.activity.replyToId;
  if (replyToId && !plan.cardActivityId) await deps.migrations.recordPlanCard(plan.id, replyToId);
  const view = first(jobs) ? deps.environments.viewOf(first(jobs)!) : {};
  const cardId = plan.cardActivityId ?? replyToId;
  // a decision, or the expiry a late click found: no one else is left with buttons that can do nothing
  const settled = outcome.kind === 'approved' || outcome.kind === 'cancelled' || isExpiry(outcome);
  if (settled && cardId)
    await updateShared(deps, turn, cardId, planCardJson(plan, jobs, { now: deps.clock.now(), ...view }));
  const viewer = personFrom(turn.activity.from);
  return cardInvokeResponse(planCardJson(plan, jobs, { now: deps.clock.now(), ...view, viewer, ...extra }));
}

/**
 * The invoke's answer is the clicker's card; everyone else's copy is the message, updated here (the plan has
 * no outbox of its own). A failure costs only a stale copy, whose buttons answer "already decided".
 */
async function updateShared(deps: BotDeps, turn: TurnContext, id: string, card: Record<string, unknown>) {
  try {
    await turn.updateActivity({ ...cardActivity(card), id });
  } catch (err) {
    deps.logger.warn({ err: describeConnectorError(err) }, "could not update the plan card's shared copy");
  }
}

const isExpiry = (outcome: PlanDecisionOutcome) => outcome.kind === 'unchanged' && outcome.why === 'expired';

const first = <T>(list: readonly T[]): T | undefined => list[0];

function refusalOf(outcome: PlanDecisionOutcome): string | undefined {
  if (outcome.kind === 'refused') return words.refusalText(outcome.refusal);
  if (outcome.kind === 'unchanged') return outcome.why === 'expired' ? PLAN_TOO_LATE : PLAN_ALREADY_DECIDED;
  return undefined;
}

export class ApprovePlanAction implements CardActionHandler {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const { migrations, afterTurn, logger } = this.deps;
    const outcome = await migrations.approvePlan(planIdOf(data), person, data);
    if (outcome.kind === 'not_found') return messageInvokeResponse(PLAN_NOT_FOUND);
    if (outcome.kind === 'approved') {
      logger.info({ planId: outcome.plan.id, approver: person.aadObjectId ?? person.id }, 'plan approved');
      for (const jobId of outcome.toStart) afterTurn.run('start migration', () => migrations.startAndFollow(jobId));
      // whatever did not take the slot waits in line; the queue looks once more after the turn
      afterTurn.run('move the queue on', () => migrations.advanceQueue(outcome.plan.id));
    }
    return answer(this.deps, turn, outcome, { inputs: data, refusal: refusalOf(outcome) });
  }
}

export class CancelPlanAction implements CardActionHandler {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const outcome = await this.deps.migrations.cancelPlan(planIdOf(data), person);
    if (outcome.kind === 'not_found') return messageInvokeResponse(PLAN_NOT_FOUND);
    return answer(this.deps, turn, outcome, { inputs: data, refusal: refusalOf(outcome) });
  }
}
