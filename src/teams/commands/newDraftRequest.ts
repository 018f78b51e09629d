import type { TurnContext } from 'botbuilder';
import type { Person } from '../../migration/types';
import { NEW_DRAFT_NOT_YET } from '../../words/eventText';
import type { BotDeps } from '../botDeps';

/**
 * `migrate <outbound> new` (typed, or the picker's "a new draft" choice, which submits exactly that command):
 * the request for a draft the bot makes. THE SEAM for issue 13 item 3: until the bot can create the draft, this
 * one function answers that it cannot yet; the draft work replaces its body and nothing else.
 */
export async function requestNewDraft(
  _deps: BotDeps,
  turn: TurnContext,
  _request: { fromEventId: string; environment?: string },
  _person: Person,
): Promise<void> {
  await turn.sendActivity(NEW_DRAFT_NOT_YET);
}
