import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { LogScope } from './migration/ports';

export type Logger = pino.Logger;

/**
 * One structured logger for the process. Known secret-bearing fields are redacted by path as a second
 * line of defence; the first is that no code hands a token or password to the logger at all.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'event-migration-bot' },
      // The fields of the scope the line is written in (a job, a turn); the line's own fields come after and win.
      mixin: () => scoped.getStore() ?? {},
      redact: {
        paths: [
          'token',
          '*.token',
          'emApplicationtoken',
          '*.emApplicationtoken',
          'headers.authorization',
          '*.headers.authorization',
          'req.headers.authorization',
          'appPassword',
          '*.appPassword',
          'MicrosoftAppPassword',
        ],
        censor: '***',
      },
    },
    destination,
  );
}

const scoped = new AsyncLocalStorage<Record<string, string>>();

/** The scope behind `createLogger`'s loggers: one per process, shared by every logger it made. */
export const logScope: LogScope = {
  run: (bindings, work) => {
    const fields: Record<string, string> = { ...scoped.getStore() };
    for (const [k, v] of Object.entries(bindings)) if (v !== undefined) fields[k] = v;
    return scoped.run(fields, work);
  },
};
