import type { TurnContext } from 'botbuilder';
import type { Command, EventRef, PlanPair } from '../../migration/commandParser';
import type { EventKind } from '../../migration/dataverseFacts';
import { matchName, type EventDirectoryPort } from '../../migration/eventDirectory';
import type { Environment } from '../../migration/environments';
import type { PlanPairInput } from '../../migration/plans';
import type { Person } from '../../migration/types';
import { blockedText } from '../../words/catalogue';
import { inEnvironment } from '../../words/environmentText';
import * as events from '../../words/eventText';
import { planLineProblem, planNotRequested, planProblems, repeatedOutbound } from '../../words/planText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import { cardActivity } from '../cardMessage';
import { planCardJson } from '../planCardMessage';
import { tenantOf } from '../people';
import type { CommandHandler } from './commandHandler';

type Resolved = { ok: true; id: string; name?: string } | { ok: false; problem: string };

/**
 * A plan (`migrate` on the first line, one pair a line): names found in Dataverse, every pair stored as a job
 * of one plan, one plan card; with Dataverse each pair's checks are then read and the card redrawn with them.
 * Any line that cannot be settled is answered with its number and nothing is stored.
 */
export class MigratePlanCommand implements CommandHandler<'migrate_plan'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'migrate_plan' }>, person: Person) {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const say = (text: string) => turn.sendActivity(inEnvironment(this.mark(environment), text));
    const pairs = await this.settle(environment, command.pairs);
    if (typeof pairs === 'string') return void (await say(pairs));
    const { migrations } = environment;
    const outcome = await migrations.requestPlan({
      pairs,
      requester: person,
      conversationId: turn.activity.conversation.id,
      tenantId: tenantOf(turn.activity),
      requestActivityId: turn.activity.id,
    });
    if (outcome.kind === 'blocked') {
      const line = command.pairs[outcome.index].line;
      return void (await say(
        planNotRequested(`line ${line}: ${blockedText(outcome.blockedBy, this.deps.clock.now())}`),
      ));
    }
    const view = this.view(environment);
    const sent = await turn.sendActivity(cardActivity(planCardJson(outcome.plan, outcome.jobs, view)));
    if (sent?.id) await migrations.recordPlanCard(outcome.plan.id, sent.id);
    if (outcome.kind !== 'created' || !sent?.id || !outcome.jobs.some((j) => j.preflight)) return;
    // The card is answered at once; every pair's checks fill it in place when they return.
    const planId = outcome.plan.id;
    this.deps.afterTurn.run('plan pre-flight checks', () => migrations.checkPlanPreflight(planId));
  }

  private mark(environment: Environment) {
    return this.deps.environments.viewOf({ environment: environment.key }).environment;
  }

  private view(environment: Environment) {
    return { ...this.deps.environments.viewOf({ environment: environment.key }), now: this.deps.clock.now() };
  }

  /** Every pair as two ids (names found in Dataverse), or the answer naming the lines that cannot be. */
  private async settle(environment: Environment, pairs: PlanPair[]): Promise<PlanPairInput[] | string> {
    const named = pairs.some((p) => p.from.kind === 'name' || p.to.kind === 'name');
    const directory = environment.directory;
    if (named && !directory) return events.NEEDS_DATAVERSE;
    const settled = await Promise.all(
      pairs.map(async (p) => {
        const [from, to] = await Promise.all([
          resolve(directory, p.from, 'outbound'),
          resolve(directory, p.to, 'real_time'),
        ]);
        return { p, from, to };
      }),
    );
    const problems: string[] = [];
    const result: PlanPairInput[] = [];
    for (const { p, from, to } of settled) {
      const wrong = [from, to].filter((r): r is { ok: false; problem: string } => !r.ok);
      if (wrong.length > 0) {
        problems.push(...wrong.map((w) => planLineProblem(p.line, w.problem)));
        continue;
      }
      const [f, t] = [from, to] as Array<Extract<Resolved, { ok: true }>>;
      if (f.id === t.id) {
        problems.push(planLineProblem(p.line, events.SAME_EVENT_BY_NAME));
        continue;
      }
      const repeated = result.find((r) => r.fromEventId === f.id);
      if (repeated) {
        problems.push(planLineProblem(p.line, repeatedOutbound(f.id)));
        continue;
      }
      result.push({
        fromEventId: f.id,
        toEventId: t.id,
        ...(f.name ? { fromName: f.name } : {}),
        ...(t.name ? { toName: t.name } : {}),
      });
    }
    return problems.length > 0 ? planProblems(problems) : result;
  }
}

async function resolve(
  directory: EventDirectoryPort | undefined,
  ref: EventRef,
  expected: EventKind,
): Promise<Resolved> {
  if (ref.kind === 'id') return { ok: true, id: ref.id };
  const found = await directory!.named(ref.name);
  if (!found.ok) return { ok: false, problem: events.nameLookupFailed(found.why) };
  const match = matchName(ref.name, found.value, expected);
  if (match.kind === 'one') return { ok: true, id: match.event.id, name: match.event.name };
  return { ok: false, problem: events.nameProblem(expected === 'outbound' ? 'outbound' : 'real-time', match) };
}
