/** The Events API: the client, the tolerant status parser and the endpoint helpers. */
export { createEventsApiClient } from './client';
export type { ClientLogger, EventsApiClient, EventsApiClientOptions } from './client';
export { parseStatus, mapStateValue, saysNoJob, shorten } from './statusParser';
export { joinEndpoint, environmentKey, redactUrl, scrubSecret, TOKEN_PARAM } from './urls';
export { DEFAULT_RETRY } from './retry';
export type { RetryPolicy } from './retry';
