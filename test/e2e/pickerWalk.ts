import { cardVerbs, jobIdIn } from '../helpers/botHarness';
import { cardOf, type InvokeAnswer, type StreamEvent, type StreamMessage } from './playgroundClient';
import type { E2e } from './playgroundHarness';

/**
 * `migrate` alone through the Agents Playground, both events chosen from the picker card's initial lists (the
 * Playground has no type-ahead), Next, and the confirmation card it leads to.
 */

export interface ChoiceSet {
  id: string;
  choices: { title: string; value: string }[];
  'choices.data': { dataset: string };
}

export const choiceSets = (card: unknown) =>
  ((card as { body: Record<string, unknown>[] }).body ?? []).filter(
    (b) => b.type === 'Input.ChoiceSet',
  ) as unknown as ChoiceSet[];

export interface PickerWalk {
  thread: string;
  /** the picker card as first posted */
  picker: unknown;
  /** Next's answer: the picker redrawn with the chosen events */
  answer: InvokeAnswer;
  confirmation: StreamMessage;
  jobId: string;
}

/** `choose` picks a value from each list; both must be among the card's initial choices. */
export async function pickAndNext(
  e: E2e,
  choose: (from: ChoiceSet, to: ChoiceSet) => { fromEventId: string; toEventId: string },
): Promise<PickerWalk> {
  const posted = await e.say('migrate');
  const thread = posted.postConversationId;
  const pickerMessage = await e.answerTo(posted);
  const picker = cardOf(pickerMessage);
  const [from, to] = choiceSets(picker);
  const chosen = choose(from, to);
  const next = (picker as { actions: { verb: string; data: Record<string, unknown> }[] }).actions.find(
    (a) => a.verb === 'pick_events',
  )!;
  const answer = await e.client.execute({
    conversationId: thread,
    from: e.me.id,
    replyToId: pickerMessage.messageId,
    verb: 'pick_events',
    data: { ...next.data, ...chosen },
  });
  const isConfirmation = (ev: StreamEvent) =>
    ev.action === 'createMessage' && cardVerbs(cardOf(ev.message)).includes('approve');
  const created = await e.client.waitFor(
    () => e.client.fromBot(thread).find(isConfirmation),
    'the confirmation card after Next',
  );
  const confirmation: StreamMessage = created.message;
  return { thread, picker, answer, confirmation, jobId: jobIdIn(cardOf(confirmation))! };
}
