import type { EnvironmentMark } from '../migration/environments';
import type { Plan, Job } from '../migration/types';
import { withProductionBanner } from '../cards/environmentBanner';
import { renderCard } from '../cards/renderCard';
import { planCard, type PlanCardContext } from '../cards/views/planView';

/** The plan's card as Teams wants it, with the Production banner where it applies. */
export function planCardJson(
  plan: Plan,
  jobs: readonly Job[],
  ctx: PlanCardContext & { environment?: EnvironmentMark },
): Record<string, unknown> {
  const { template, data } = planCard(plan, jobs, ctx);
  return withProductionBanner(renderCard(template, data), ctx.environment) as Record<string, unknown>;
}
