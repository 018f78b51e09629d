import type { Plan, PlanState, Person } from '../migration/types';

/**
 * A plan as a row: what never changes in `data`, what is decided later in columns of its own, so each
 * decision is a conditional update of one column without rewriting (or racing on) the rest.
 */
export interface PlanRow {
  id: string;
  environment: string;
  state: string;
  decided_json: string | null;
  card_activity_id: string | null;
  summary_sent_at: string | null;
  data: string;
}

type Fixed = Omit<Plan, 'state' | 'decidedBy' | 'decidedAt' | 'cardActivityId' | 'summarySentAt'>;

export function planParams(plan: Plan): PlanRow {
  const { state, decidedBy, decidedAt, cardActivityId, summarySentAt, ...fixed } = plan;
  return {
    id: plan.id,
    environment: plan.environment,
    state,
    decided_json: decidedBy ? decidedJson(decidedBy, decidedAt ?? '') : null,
    card_activity_id: cardActivityId ?? null,
    summary_sent_at: summarySentAt ?? null,
    data: JSON.stringify(fixed),
  };
}

export function decidedJson(by: Person, at: string): string {
  return JSON.stringify({ by, at });
}

export function fromPlanRow(row: PlanRow): Plan {
  const fixed = JSON.parse(row.data) as Fixed;
  const decided = row.decided_json ? (JSON.parse(row.decided_json) as { by: Person; at: string }) : undefined;
  return {
    ...fixed,
    id: row.id,
    environment: row.environment,
    state: row.state as PlanState,
    ...(decided ? { decidedBy: decided.by, decidedAt: decided.at } : {}),
    ...(row.card_activity_id ? { cardActivityId: row.card_activity_id } : {}),
    ...(row.summary_sent_at ? { summarySentAt: row.summary_sent_at } : {}),
  };
}

export const PLAN_COLUMNS = 'id, environment, state, decided_json, card_activity_id, summary_sent_at, data';
