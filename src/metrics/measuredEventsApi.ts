import type { OperatorMetrics } from '../migration/operatorMetrics';
import { EventsApiError, type EventsApi } from '../migration/types';

/**
 * The Events API as the tracker and the starter use it, with each call counted by outcome and the status calls
 * timed (retries inside the client included: the time a reading took to arrive).
 */
export function measuredEventsApi<A extends EventsApi>(
  api: A,
  metrics: OperatorMetrics,
  now = () => performance.now(),
): A {
  const kindOf = (err: unknown) => (err instanceof EventsApiError ? err.kind : 'bot_error');
  return Object.assign(Object.create(api) as A, {
    async status() {
      const began = now();
      const seconds = () => (now() - began) / 1000;
      try {
        const reading = await api.status();
        metrics.statusCall(reading.state === 'no_job' ? 'no_job' : 'answered', seconds());
        return reading;
      } catch (err) {
        metrics.statusCall(kindOf(err), seconds());
        throw err;
      }
    },
    async start(...args: Parameters<EventsApi['start']>) {
      try {
        const result = await api.start(...args);
        metrics.startCall('accepted');
        return result;
      } catch (err) {
        metrics.startCall(kindOf(err));
        throw err;
      }
    },
  });
}
