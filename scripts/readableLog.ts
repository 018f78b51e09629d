import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';

/**
 * `npm run dev` only: the bot's log as a person reads it, one line a record, each starting with its time and
 * level (`[14:03:07.412] INFO: bot listening {"port":3978}`). pino-pretty is a dev dependency, so nothing under
 * src/ may import this file: `npm start` writes JSON and runs after `npm prune --omit=dev`.
 */
export function readableLog(destination: number | NodeJS.WritableStream = 1): DestinationStream {
  return pretty({
    destination,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    // the same on every line of a one-process dev stack
    ignore: 'pid,hostname,app',
  });
}
