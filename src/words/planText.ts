import type { PlanSummary } from '../migration/types';
import { chatText } from './escape';
import { countText, stateLabel, utcText } from './format';

/** The words about a plan of several pairs: its summary and the answers to its card's buttons. */

function side(id: string, name: string | undefined): string {
  return name ? `${chatText(name)} (\`${id}\`)` : `\`${id}\``;
}

/** Sent once, when the plan's last job ended: each pair's ending, then the counts. */
export function planSummaryText(summary: PlanSummary): string {
  const n = summary.pairs.length;
  const lines = summary.pairs.map((p, i) => {
    const counts =
      p.processed !== undefined || p.failed !== undefined
        ? `: ${countText(p.processed)} registrations migrated, ${countText(p.failed ?? 0)} failed`
        : '';
    return `${i + 1}. ${side(p.fromEventId, p.fromName)} → ${side(p.toEventId, p.toName)}: **${stateLabel(p.state)}**${counts}`;
  });
  return [
    `**Plan finished**: ${summary.migrated} of ${n} pairs migrated, ${summary.failed} failed or not run.`,
    ...lines,
  ].join('\n\n');
}

export const PLAN_NOT_FOUND = 'This card refers to a plan the bot does not know. Send the plan again.';
export const PLAN_ALREADY_DECIDED = 'This plan was already decided; nothing changed.';
export const PLAN_TOO_LATE = 'This plan waited too long for approval and has expired. Send it again.';

/** The plan card once its approval time ran out (as a single request's closed card says it). */
export function planExpiredText(expiresAt: string): string {
  return `Nobody approved this plan before it expired (${utcText(expiresAt)}). Nothing was started; send the plan again to start over.`;
}

export function planNotRequested(why: string): string {
  return `The plan was not stored: ${why}`;
}

/** A line of a plan whose event could not be settled, numbered as the person wrote it (`migrate` is line 1). */
export function planLineProblem(line: number, problem: string): string {
  return `Line ${line} of the plan: ${problem}`;
}

export function repeatedOutbound(eventId: string): string {
  return `the outbound event ${eventId} is on an earlier line already.`;
}

export function planProblems(problems: readonly string[]): string {
  return `${problems.join('\n\n')}\n\nNothing was stored.`;
}
