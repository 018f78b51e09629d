import type { Activity, ChannelAccount } from 'botbuilder';
import type { Person } from '../migration/types';

export function personFrom(account: ChannelAccount | undefined): Person {
  return {
    id: account?.id ?? 'unknown',
    name: account?.name?.trim() || 'Someone',
    aadObjectId: account?.aadObjectId?.toLowerCase(),
  };
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannel = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return (fromChannel ?? activity.conversation?.tenantId)?.toLowerCase();
}

export function teamOf(activity: Partial<Activity>): string | undefined {
  return (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
}

/** A channel thread's conversation id carries `;messageid=`; top-level posts go to the channel itself. */
export function channelOf(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at === -1 ? conversationId : conversationId.slice(0, at);
}
