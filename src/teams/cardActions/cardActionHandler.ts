import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Person } from '../../migration/types';

/** One card verb. `data` is the button's data with the card's input values merged in, as Teams sends it. */
export interface CardActionHandler {
  handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse>;
}

export function jobIdOf(data: Record<string, unknown>): string {
  return typeof data.jobId === 'string' ? data.jobId : '';
}
