import { CardFactory, MessageFactory, type Activity, type AdaptiveCardInvokeResponse } from 'botbuilder';
import { withProductionBanner } from '../cards/environmentBanner';
import { renderCard } from '../cards/renderCard';
import { jobCard, type JobCardContext } from '../cards/views/jobCard';
import type { Job } from '../migration/types';

/** The job's card as Teams wants it: an attachment for messages, a body for invoke responses. */

export function cardJson(job: Job, ctx: JobCardContext): Record<string, unknown> {
  const { template, data } = jobCard(job, ctx);
  return withProductionBanner(renderCard(template, data), ctx.environment) as Record<string, unknown>;
}

export function cardActivity(card: Record<string, unknown>, text?: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  if (text) activity.text = text;
  return activity;
}

export function cardInvokeResponse(card: Record<string, unknown>): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

export function messageInvokeResponse(text: string): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as unknown as Record<string, unknown>,
  };
}

export function errorInvokeResponse(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return {
    statusCode,
    type: 'application/vnd.microsoft.error',
    value: { code, message } as unknown as Record<string, unknown>,
  };
}
