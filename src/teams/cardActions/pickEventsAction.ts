import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { withProductionBanner } from '../../cards/environmentBanner';
import { renderCard } from '../../cards/renderCard';
import { NEW_DRAFT_VALUE, pickedCard } from '../../cards/views/pickerView';
import type { Environment } from '../../migration/environments';
import type { EventDirectoryPort, EventSummary } from '../../migration/eventDirectory';
import { normaliseGuid } from '../../migration/ids';
import type { Person } from '../../migration/types';
import { unknownEnvironment } from '../../words/environmentText';
import * as words from '../../words/eventText';
import type { BotDeps } from '../botDeps';
import { cardActivity, cardInvokeResponse, errorInvokeResponse, messageInvokeResponse } from '../cardMessage';
import { conversationKey } from '../environmentChoice';
import { channelOf } from '../people';
import type { CardActionHandler } from './cardActionHandler';

/** Runs a command as if the person had typed it (the route every typed command takes). */
export type TypedCommand = (turn: TurnContext, text: string, person: Person) => Promise<void>;

/**
 * The picker's Next: the two picks checked (both there, different, still in their lists), then exactly the typed
 * `migrate <outbound id> <real-time id>` (or `... new`), whose confirmation card follows in the conversation; the
 * picker then shows what was chosen, without Next. A bad pick is answered and nothing is stored; the card keeps
 * what was chosen.
 */
export class PickEventsAction implements CardActionHandler {
  constructor(
    private readonly deps: BotDeps,
    private readonly typed: TypedCommand,
  ) {}

  async handle(turn: TurnContext, data: Record<string, unknown>, person: Person): Promise<AdaptiveCardInvokeResponse> {
    const conversation = typeof data.conversation === 'string' ? data.conversation : '';
    if (channelOf(turn.activity.conversation.id) !== channelOf(conversation)) {
      this.deps.logger.warn({ verb: 'pick_events' }, "picker from outside the card's conversation; refused");
      return errorInvokeResponse(403, 'WrongConversation', words.PICK_WRONG_CONVERSATION);
    }
    const environment = await this.environmentOf(turn, data);
    if (typeof environment === 'string') return messageInvokeResponse(environment);
    const from = normaliseGuid(String(data.fromEventId ?? ''));
    const rawTo = String(data.toEventId ?? '').trim();
    const to = rawTo === NEW_DRAFT_VALUE ? NEW_DRAFT_VALUE : normaliseGuid(rawTo);
    if (!from && !to) return messageInvokeResponse(words.PICK_NOTHING);
    if (!from) return messageInvokeResponse(words.PICK_NO_SOURCE);
    if (!to) return messageInvokeResponse(words.PICK_NO_TARGET);
    if (from === to) return messageInvokeResponse(words.PICK_SAME);
    if (!environment.directory) return messageInvokeResponse(words.NEEDS_DATAVERSE);
    const picks = await this.stillValid(environment.directory, from, to);
    if (typeof picks === 'string') return messageInvokeResponse(picks);
    const named = this.deps.environments.several ? ` in ${environment.name}` : '';
    await this.typed(turn, `migrate ${from} ${to}${named}`, person);
    const { template, data: bound } = pickedCard(picks.source, picks.target);
    const card = withProductionBanner(renderCard(template, bound), this.deps.environments.mark(environment));
    await this.replacePicker(turn, card);
    return cardInvokeResponse(card);
  }

  /** Everyone's copy of the picker loses its Next, so that one choice is not sent on twice by accident. */
  private async replacePicker(turn: TurnContext, card: Record<string, unknown>): Promise<void> {
    const id = turn.activity.replyToId;
    if (!id) return;
    try {
      await turn.updateActivity({ ...cardActivity(card), id });
    } catch (err) {
      // The confirmation card is out; an old picker left as it was only costs a second look.
      this.deps.logger.warn({ err }, 'could not replace the picker card');
    }
  }

  /** The card's environment; a sentence when it is no longer configured (or none is settled). */
  private async environmentOf(turn: TurnContext, data: Record<string, unknown>): Promise<Environment | string> {
    const named = typeof data.environment === 'string' && data.environment ? data.environment : undefined;
    const choice = await this.deps.environments.choose(named, conversationKey(turn));
    if (choice.kind === 'chosen') return choice.environment;
    return unknownEnvironment(choice.kind === 'unknown' ? choice.name : '', choice.known);
  }

  /** Both picks as they are now (they were listed a while ago), or why one can no longer be used. */
  private async stillValid(
    directory: EventDirectoryPort,
    from: string,
    to: string,
  ): Promise<{ source: EventSummary; target?: EventSummary } | string> {
    const [source, target] = await Promise.all([
      directory.stillIn('outbound', from),
      to === NEW_DRAFT_VALUE ? undefined : directory.stillIn('blank_draft', to),
    ]);
    if (!source.ok) return words.pickCheckFailed(source.why);
    if (target && !target.ok) return words.pickCheckFailed(target.why);
    if (!source.value) return words.pickGone('outbound');
    if (target && !target.value) return words.pickGone('blank_draft');
    return { source: source.value, target: target?.value };
  }
}
