import { ALL_TICKED } from '../src/migration/checklist';
import type { FakeConnector } from '../test/helpers/fakeConnector';
import { cardAction, jobIdOfCard, message } from './activities';
import { postJson } from './http';

/** Turns sent to a bot in a child process, answered through the fake connector. */

const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';

/** A channel post to the child, and the reply the connector received for it. */
export async function turn(connector: FakeConnector, child: { url: string }, text: string) {
  const activity = message(connector.url, text);
  const [, arrival] = await Promise.all([
    postJson(`${child.url}/api/messages`, activity),
    connector.replyTo(activity.id),
  ]);
  return arrival;
}

/** migrate, then approve: the bot starts the job on the simulator and begins to track it. */
export async function startJob(connector: FakeConnector, bot: { url: string }): Promise<string> {
  const card = await turn(connector, bot, `migrate ${FROM} ${TO}`);
  const jobId = jobIdOfCard(card.activity);
  const answer = await postJson(
    `${bot.url}/api/messages`,
    cardAction(connector.url, 'approve', { jobId, ...ALL_TICKED }, card.id),
  );
  if (answer.status !== 200) throw new Error(`the approve invoke answered ${answer.status}`);
  return jobId;
}
