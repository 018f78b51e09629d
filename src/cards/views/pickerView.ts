import type { Reading } from '../../migration/dataverseFacts';
import type { EventList, EventSummary } from '../../migration/eventDirectory';
import { cardText } from '../../words/escape';
import * as words from '../../words/eventText';

/**
 * The picker card (cards/pickEvents.json): two type-ahead lists whose static choices are the most recent events
 * (Teams asks the bot only once something is typed), and Next. The datasets name the list and, with several
 * environments, the environment, because a search invoke carries nothing else of the card.
 */

/** The value of the real-time list's choice "a new draft": what `migrate <outbound> new` types. */
export const NEW_DRAFT_VALUE = 'new';

export interface PickerInput {
  outbound: Reading<EventSummary[]>;
  drafts: Reading<EventSummary[]>;
  /** the environment's name when there are several (it goes into the datasets and Next's data) */
  environment?: string;
  /** the conversation the card is posted in; Next from anywhere else is refused */
  conversation: string;
  /** what was chosen when the card is drawn again beside a refusal */
  chosen?: { from?: string; to?: string };
  notice?: string;
}

export interface Choice {
  title: string;
  value: string;
}

const SEPARATOR = ':';

export function datasetName(list: EventList, environment?: string): string {
  return environment ? `${list}${SEPARATOR}${environment}` : list;
}

/** The list and the environment a search invoke's dataset names; undefined for a dataset this bot never drew. */
export function parseDataset(dataset: unknown): { list: EventList; environment?: string } | undefined {
  if (typeof dataset !== 'string') return undefined;
  const [list, environment, ...rest] = dataset.split(SEPARATOR);
  if (rest.length > 0 || (list !== 'outbound' && list !== 'blank_draft')) return undefined;
  return environment ? { list, environment } : { list };
}

export function choicesOf(list: EventList, events: readonly EventSummary[]): Choice[] {
  return events.map((e) => ({ title: words.choiceTitle(list, e), value: e.id }));
}

export function pickerCard(input: PickerInput): { template: 'pickEvents'; data: Record<string, unknown> } {
  const failed = [input.outbound, input.drafts].find((r) => !r.ok);
  const notice = input.notice ?? (failed && !failed.ok ? words.pickerListFailed(failed.why) : undefined);
  const outbound = input.outbound.ok ? choicesOf('outbound', input.outbound.value) : [];
  const drafts = input.drafts.ok ? choicesOf('blank_draft', input.drafts.value) : [];
  const data = {
    title: words.PICKER_TITLE,
    intro: words.PICKER_INTRO,
    showNotice: notice !== undefined,
    noticeText: notice ? cardText(notice) : '',
    fromLabel: words.PICKER_FROM_LABEL,
    toLabel: words.PICKER_TO_LABEL,
    fromPlaceholder: words.PICKER_FROM_PLACEHOLDER,
    toPlaceholder: words.PICKER_TO_PLACEHOLDER,
    fromMissing: words.PICKER_FROM_MISSING,
    toMissing: words.PICKER_TO_MISSING,
    fromChoices: outbound,
    toChoices: [{ title: words.NEW_DRAFT_TITLE, value: NEW_DRAFT_VALUE }, ...drafts],
    fromDataset: datasetName('outbound', input.environment),
    toDataset: datasetName('blank_draft', input.environment),
    fromValue: input.chosen?.from ?? '',
    toValue: input.chosen?.to ?? '',
    environment: input.environment ?? '',
    conversation: input.conversation,
    footer: words.PICKER_FOOTER,
  };
  return { template: 'pickEvents', data };
}

/** What replaces the picker once Next has sent the choice on (cards/picked.json): the two events, no button. */
export function pickedCard(
  source: EventSummary,
  target: EventSummary | undefined,
): { template: 'picked'; data: Record<string, unknown> } {
  return {
    template: 'picked',
    data: {
      title: words.PICKED_TITLE,
      facts: [
        { title: words.PICKER_FROM_LABEL, value: cardText(words.choiceTitle('outbound', source)) },
        {
          title: words.PICKER_TO_LABEL,
          value: target ? cardText(words.choiceTitle('blank_draft', target)) : words.NEW_DRAFT_TITLE,
        },
      ],
      footer: words.PICKED,
    },
  };
}
