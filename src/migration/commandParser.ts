import { normaliseGuid } from './ids';

/**
 * Turns what a person typed into a command. Teams delivers text with the bot's mention already removed by the
 * Teams layer, but still with HTML, `&nbsp;` and line breaks; all of that is tolerated here.
 */

export type Command =
  | { kind: 'migrate'; fromEventId: string; toEventId: string }
  | { kind: 'status' }
  | { kind: 'history' }
  | { kind: 'help'; unknownWord?: string }
  | { kind: 'invalid'; command: 'migrate' | 'status' | 'history'; message: string };

const USAGE = 'Usage: `migrate <outbound-event-id> <real-time-event-id>`';

export function cleanText(text: string): string {
  return (
    text
      .replace(/<at>[^<]*<\/at>/gi, ' ')
      .replace(/<br\s*\/?>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;|&#160;/gi, ' ')
      .replace(/&amp;/gi, '&')
      .replace(/&lt;/gi, '<')
      .replace(/&gt;/gi, '>')
      .replace(/[\u00a0\s]+/g, ' ')
      // Invisible characters at the edge of a word are dropped; inside a word they are kept, so that an id
      // holding one can be answered as such instead of being split into two words.
      .replace(INVISIBLE_AT_EDGE, '$1')
      .replace(/ +/g, ' ')
      .trim()
  );
}

const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;
const HAS_INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/;
const INVISIBLE_AT_EDGE = /(^| )[\u200b-\u200d\u2060\ufeff]+|[\u200b-\u200d\u2060\ufeff]+(?= |$)/g;

export function parseCommand(text: string): Command {
  const words = cleanText(text).split(' ').filter(Boolean);
  const word = (words[0] ?? '').toLowerCase().replace(/^\//, '');
  const args = words.slice(1);
  switch (word) {
    case 'migrate':
      return parseMigrate(args);
    case 'status':
    case 'history':
      return args.length === 0
        ? { kind: word }
        : {
            kind: 'invalid',
            command: word,
            message: `\`${word}\` takes no arguments (got "${clip(args.join(' '))}").`,
          };
    case '':
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'help', unknownWord: clip(words[0]) };
  }
}

function parseMigrate(args: string[]): Command {
  const invalid = (message: string): Command => ({
    kind: 'invalid',
    command: 'migrate',
    message: `${message} ${USAGE}`,
  });
  if (args.length === 0) return invalid('Both event ids are missing.');
  if (args.length === 1) return invalid('The real-time event id is missing.');
  if (args.length > 2)
    return invalid(
      `Too many words: expected two ids, got ${args.length} ("${clip(args.slice(2).join(' '))}" is extra).`,
    );
  const [fromRaw, toRaw] = args;
  const from = normaliseGuid(fromRaw);
  const to = normaliseGuid(toRaw);
  const badId = (what: string, raw: string) =>
    HAS_INVISIBLE.test(raw)
      ? invalid(
          `The ${what} id "${clip(showInvisible(raw))}" holds an invisible character (such as a zero-width space): type the id again, or paste it without it.`,
        )
      : invalid(`The ${what} id "${clip(raw)}" is not a GUID.`);
  if (!from) return badId('outbound event', fromRaw);
  if (!to) return badId('real-time event', toRaw);
  if (from === to)
    return invalid(`The same id was given twice (${from}): the outbound and the real-time event are different events.`);
  return { kind: 'migrate', fromEventId: from, toEventId: to };
}

function showInvisible(value: string): string {
  return value.replace(INVISIBLE, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** Echoed values are clipped so that a pasted essay does not come back as a wall of text. */
function clip(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
