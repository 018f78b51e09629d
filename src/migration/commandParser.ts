import { normaliseGuid } from './ids';

/**
 * Turns what a person typed into a command. Teams delivers text with the bot's mention already removed by the
 * Teams layer, but still with HTML, `&nbsp;` and line breaks; all of that is tolerated here.
 */

export type Command =
  | { kind: 'migrate'; fromEventId: string; toEventId: string; environment?: string }
  /** `migrate <outbound id> new`: the bot makes the real-time draft from the outbound event */
  | { kind: 'migrate_new'; fromEventId: string; environment?: string }
  | { kind: 'status'; environment?: string }
  | { kind: 'history'; environment?: string }
  | { kind: 'check'; environment?: string }
  | { kind: 'queue'; environment?: string }
  | { kind: 'help'; unknownWord?: string }
  | { kind: 'forget'; jobId: string }
  | { kind: 'missing'; jobId?: string; environment?: string }
  | { kind: 'use'; environment?: string }
  | {
      kind: 'invalid';
      command: 'migrate' | 'status' | 'history' | 'check' | 'queue' | 'forget' | 'missing' | 'use';
      problem: InputProblem;
    };

/** What is wrong with what was typed, with the (clipped) values to quote; worded by the catalogue. */
export type InputProblem =
  | { kind: 'no_ids' }
  | { kind: 'no_target' }
  | { kind: 'too_many'; count: number; extra: string }
  | { kind: 'not_a_guid'; which: 'outbound' | 'real-time'; value: string }
  | { kind: 'invisible_character'; which: 'outbound' | 'real-time'; value: string }
  | { kind: 'same_id'; id: string }
  | { kind: 'no_arguments_taken'; got: string }
  | { kind: 'no_job_id' }
  | { kind: 'not_a_job_id'; value: string }
  | { kind: 'one_job_id_at_most'; got: string }
  | { kind: 'one_name_at_most'; got: string };

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

/** The target word of `migrate <outbound id> new` (a picker's "new draft" choice submits it too). */
export const NEW_TARGET = 'new';

/** Commands about one environment take it last: `status in test`. */
const TAKES_ENVIRONMENT = new Set(['migrate', 'status', 'history', 'check', 'queue', 'missing']);
const ENVIRONMENT_NAME = /^[A-Za-z0-9-]+$/;

/** `... in <name>` at the end: the name, and the words before it. */
function splitEnvironment(args: string[]): { args: string[]; environment?: string } {
  const n = args.length;
  if (n >= 2 && args[n - 2].toLowerCase() === 'in' && ENVIRONMENT_NAME.test(args[n - 1]))
    return { args: args.slice(0, n - 2), environment: args[n - 1].toLowerCase() };
  return { args };
}

export function parseCommand(text: string): Command {
  const words = cleanText(text).split(' ').filter(Boolean);
  const word = (words[0] ?? '').toLowerCase().replace(/^\//, '');
  const command = parseWords(word, words);
  if (!TAKES_ENVIRONMENT.has(word) || command.kind === 'invalid' || command.kind === 'help') return command;
  const { environment } = splitEnvironment(words.slice(1));
  return environment === undefined ? command : ({ ...command, environment } as Command);
}

function parseWords(word: string, words: string[]): Command {
  const args = TAKES_ENVIRONMENT.has(word) ? splitEnvironment(words.slice(1)).args : words.slice(1);
  switch (word) {
    case 'migrate':
      return parseMigrate(args);
    case 'use':
      if (args.length > 1)
        return { kind: 'invalid', command: 'use', problem: { kind: 'one_name_at_most', got: clip(args.join(' ')) } };
      return args.length === 0 ? { kind: 'use' } : { kind: 'use', environment: clip(args[0]).toLowerCase() };
    case 'status':
    case 'history':
    case 'check':
    case 'queue':
      return args.length === 0
        ? { kind: word }
        : { kind: 'invalid', command: word, problem: { kind: 'no_arguments_taken', got: clip(args.join(' ')) } };
    case 'forget':
      return parseForget(args);
    case 'missing':
      if (args.length > 1)
        return {
          kind: 'invalid',
          command: 'missing',
          problem: { kind: 'one_job_id_at_most', got: clip(args.join(' ')) },
        };
      return args.length === 0
        ? { kind: 'missing' }
        : { kind: 'missing', jobId: normaliseGuid(args[0]) ?? clip(args[0]) };
    case '':
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'help', unknownWord: clip(words[0]) };
  }
}

function parseMigrate(args: string[]): Command {
  const invalid = (problem: InputProblem): Command => ({ kind: 'invalid', command: 'migrate', problem });
  if (args.length === 0) return invalid({ kind: 'no_ids' });
  if (args.length === 1) return invalid({ kind: 'no_target' });
  if (args.length > 2) return invalid({ kind: 'too_many', count: args.length, extra: clip(args.slice(2).join(' ')) });
  const [fromRaw, toRaw] = args;
  const from = normaliseGuid(fromRaw);
  const to = normaliseGuid(toRaw);
  const badId = (which: 'outbound' | 'real-time', raw: string) =>
    HAS_INVISIBLE.test(raw)
      ? invalid({ kind: 'invisible_character', which, value: clip(showInvisible(raw)) })
      : invalid({ kind: 'not_a_guid', which, value: clip(raw) });
  if (!from) return badId('outbound', fromRaw);
  if (toRaw.toLowerCase() === NEW_TARGET) return { kind: 'migrate_new', fromEventId: from };
  if (!to) return badId('real-time', toRaw);
  if (from === to) return invalid({ kind: 'same_id', id: from });
  return { kind: 'migrate', fromEventId: from, toEventId: to };
}

/** `forget <job id>`: the id a card's footer, `status` and `history` show (a GUID, any case, braces or not). */
function parseForget(args: string[]): Command {
  const invalid = (problem: InputProblem): Command => ({ kind: 'invalid', command: 'forget', problem });
  if (args.length === 0) return invalid({ kind: 'no_job_id' });
  if (args.length > 1) return invalid({ kind: 'too_many', count: args.length, extra: clip(args.slice(1).join(' ')) });
  const jobId = normaliseGuid(args[0]);
  return jobId ? { kind: 'forget', jobId } : invalid({ kind: 'not_a_job_id', value: clip(args[0]) });
}

function showInvisible(value: string): string {
  return value.replace(INVISIBLE, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** Echoed values are clipped so that a pasted essay does not come back as a wall of text. */
function clip(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
