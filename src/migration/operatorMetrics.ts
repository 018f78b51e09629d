import type { EventsApiErrorKind } from './types';

/**
 * What operators count, as the parts that see it report it: the Events API calls (recorded around the client) and
 * the sends to the Bot Connector (recorded by the notifier). Gauges of shared state (jobs, outbox, last status read)
 * are not reported here: they are read from the store when scraped, so several replicas agree.
 */

export type StatusCallOutcome = 'answered' | 'no_job' | EventsApiErrorKind | 'bot_error';
export type StartCallOutcome = 'accepted' | EventsApiErrorKind | 'bot_error';
/** `retried`/`throttled`: one attempt refused and tried again (429 is `throttled`); the others end a send */
export type ConnectorSendOutcome = 'ok' | 'retried' | 'throttled' | 'forbidden' | 'not_found' | 'failed';

export interface OperatorMetrics {
  statusCall(outcome: StatusCallOutcome, seconds: number): void;
  startCall(outcome: StartCallOutcome): void;
  connectorSend(outcome: ConnectorSendOutcome): void;
}

export const NO_METRICS: OperatorMetrics = {
  statusCall: () => undefined,
  startCall: () => undefined,
  connectorSend: () => undefined,
};
