import pino from 'pino';

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
