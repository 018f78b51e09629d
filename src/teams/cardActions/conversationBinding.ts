import type { Activity } from 'botbuilder';
import type { Job } from '../../migration/types';
import { channelOf, tenantOf } from '../people';

/**
 * A card action counts only where its job lives: the job's own conversation (a thread of a channel is the
 * channel) and its tenant. Job ids are printed on every card, so an id alone proves nothing about the clicker.
 */
export function isFromJobsConversation(job: Job, activity: Partial<Activity>): boolean {
  const conversationId = activity.conversation?.id;
  if (!conversationId || channelOf(conversationId) !== channelOf(job.conversationId)) return false;
  return (job.tenantId ?? undefined) === tenantOf(activity);
}
