import type { Middleware, TurnContext } from 'botbuilder';

/**
 * A time limit on every call the bot makes to the Bot Connector (replies, new messages, card updates), in
 * turns and in proactive sends alike. botbuilder's HTTP pipeline has none, so a serviceUrl that accepts the
 * connection and never answers would hold the turn, the HTTP request that carried it, and shutdown. A call
 * that runs out of time fails like a dropped connection (no status), so the notifier's retry rules apply.
 */
export class ConnectorTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`the Bot Connector did not answer ${what} within ${ms} ms`);
    this.name = 'ConnectorTimeoutError';
  }
}

export function connectorTimeout(ms: number): Middleware {
  return {
    onTurn: async (turn: TurnContext, next: () => Promise<void>) => {
      turn.onSendActivities((_ctx, _activities, send) => withTimeout(send(), ms, 'a send'));
      turn.onUpdateActivity((_ctx, _activity, update) => withTimeout(update(), ms, 'an update'));
      turn.onDeleteActivity((_ctx, _reference, remove) => withTimeout(remove(), ms, 'a delete'));
      await next();
    },
  };
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ConnectorTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
