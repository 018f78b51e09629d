/** The little the store needs from a logger; a pino logger fits. */
export interface StoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const silentLogger: StoreLogger = { info: () => undefined, warn: () => undefined };
