import { randomUUID } from 'node:crypto';

/** Teams-shaped activities as the Bot Connector would POST them to /api/messages (unauthenticated, local). */

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const BOT = { id: '28:bench-bot', name: 'Migration Bot' };
const CHANNEL = '19:bench@thread.tacv2';
export const THREAD = `${CHANNEL};messageid=1700000000000`;
export const REQUESTER = { id: '29:ada', name: 'Ada Admin', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };
export const APPROVER = { id: '29:ben', name: 'Ben Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002' };

let seq = 0;

function base(serviceUrl: string, from: typeof REQUESTER) {
  return {
    id: `bench-in-${++seq}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from,
    recipient: BOT,
    conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: '19:bench-team@thread.tacv2' }, channel: { id: CHANNEL } },
  };
}

/** A channel post that @mentions the bot. */
export function message(serviceUrl: string, text: string) {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base(serviceUrl, REQUESTER),
    type: 'message',
    text: `${mention} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: mention, mentioned: BOT }],
  };
}

export const migrateText = () => `migrate ${randomUUID()} ${randomUUID()}`;

/** An Action.Execute click on a card. */
export function cardAction(serviceUrl: string, verb: string, data: Record<string, unknown>, replyToId?: string) {
  return {
    ...base(serviceUrl, APPROVER),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** The job id a confirmation card carries in its Approve button's data. */
export function jobIdOfCard(activity: Record<string, unknown>): string {
  const id = /"jobId":"([^"]+)"/.exec(JSON.stringify(activity))?.[1];
  if (!id) throw new Error('the confirmation card carries no jobId');
  return id;
}
