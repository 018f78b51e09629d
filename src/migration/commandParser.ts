import { normaliseGuid } from './ids';

/**
 * Turns what a person typed into a command. Teams delivers text with the bot's mention already removed by the
 * Teams layer, but still with HTML, `&nbsp;` and line breaks; all of that is tolerated here.
 */

/** One side of a migration as typed: a GUID, or a quoted name to be found in Dataverse. */
export type EventRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };
/** The target may also be `new`: a draft real-time event the bot is to make from the outbound event. */
export type TargetRef = EventRef | { kind: 'new' };

export type Command =
  | { kind: 'migrate'; fromEventId: string; toEventId: string; environment?: string }
  /** at least one side named; two GUIDs are always `migrate`, a GUID and `new` always `migrate_new` */
  | { kind: 'migrate_named'; from: EventRef; to: TargetRef; environment?: string }
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
      /** `migrate in <name>` alone: the environment whose events to pick from */
      environment?: string;
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
  | { kind: 'one_name_at_most'; got: string }
  | { kind: 'unclosed_quote'; value: string }
  | { kind: 'empty_name' }
  | { kind: 'new_is_a_target' };

export function cleanText(text: string): string {
  return (
    text
      .replace(/<at>[^<]*<\/at>/gi, ' ')
      .replace(/<br\s*\/?>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;|&#160;/gi, ' ')
      .replace(/&quot;|&#34;/gi, '"')
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
  const cleaned = cleanText(text);
  const words = cleaned.split(' ').filter(Boolean);
  const word = (words[0] ?? '').toLowerCase().replace(/^\//, '');
  if (word === 'migrate') return parseMigrateText(cleaned.slice(words[0].length));
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
  if (!to) return badId('real-time', toRaw);
  if (from === to) return invalid({ kind: 'same_id', id: from });
  return { kind: 'migrate', fromEventId: from, toEventId: to };
}

/** Straight and curly double quotes, as Teams may send them (a name may hold an apostrophe, so not single ones). */
const OPENING_QUOTES = '"\u201c\u201d\u201e';
const CLOSING_QUOTES = '"\u201c\u201d';

interface Arg {
  text: string;
  quoted: boolean;
}

/** The words after `migrate`, a quoted name counting as one. */
function splitArgs(rest: string): Arg[] | InputProblem {
  const args: Arg[] = [];
  let i = 0;
  while (i < rest.length) {
    if (rest[i] === ' ') {
      i++;
      continue;
    }
    if (OPENING_QUOTES.includes(rest[i])) {
      let end = i + 1;
      while (end < rest.length && !CLOSING_QUOTES.includes(rest[end])) end++;
      if (end >= rest.length) return { kind: 'unclosed_quote', value: clip(rest.slice(i)) };
      args.push({ text: rest.slice(i + 1, end).trim(), quoted: true });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < rest.length && rest[end] !== ' ') end++;
    args.push({ text: rest.slice(i, end), quoted: false });
    i = end;
  }
  return args;
}

const isNew = (arg: Arg) => !arg.quoted && arg.text.toLowerCase() === NEW_TARGET;

/** `migrate` and what follows: two GUIDs as always, or quoted names, or `new` as the target. */
function parseMigrateText(rest: string): Command {
  const invalid = (problem: InputProblem): Command => ({ kind: 'invalid', command: 'migrate', problem });
  const split = splitArgs(rest);
  if (!Array.isArray(split)) return invalid(split);
  let args = split;
  let environment: string | undefined;
  const n = args.length;
  if (n >= 2 && !args[n - 1].quoted && !args[n - 2].quoted) {
    const env = splitEnvironment([args[n - 2].text, args[n - 1].text]);
    if (env.environment !== undefined) {
      environment = env.environment;
      args = args.slice(0, n - 2);
    }
  }
  const withEnvironment = (command: Command): Command =>
    command.kind === 'invalid' || environment === undefined ? command : ({ ...command, environment } as Command);
  if (args.length === 0 && environment !== undefined)
    return { kind: 'invalid', command: 'migrate', problem: { kind: 'no_ids' }, environment };
  if (!args.some((a) => a.quoted || isNew(a))) return withEnvironment(parseMigrate(args.map((a) => a.text)));
  if (args.length === 1) return invalid({ kind: 'no_target' });
  if (args.length > 2)
    return invalid({ kind: 'too_many', count: args.length, extra: clip(args.slice(2).map(shownArg).join(' ')) });
  const [fromArg, toArg] = args;
  if (isNew(fromArg)) return invalid({ kind: 'new_is_a_target' });
  const from = eventRef(fromArg, 'outbound');
  if ('problem' in from) return invalid(from.problem);
  const to = isNew(toArg) ? ({ kind: 'new' } as const) : eventRef(toArg, 'real-time');
  if ('problem' in to) return invalid(to.problem);
  if (from.kind === 'id' && to.kind === 'new') return withEnvironment({ kind: 'migrate_new', fromEventId: from.id });
  if (from.kind === 'id' && to.kind === 'id') {
    if (from.id === to.id) return invalid({ kind: 'same_id', id: from.id });
    return withEnvironment({ kind: 'migrate', fromEventId: from.id, toEventId: to.id });
  }
  return withEnvironment({ kind: 'migrate_named', from, to });
}

function shownArg(arg: Arg): string {
  return arg.quoted ? `"${arg.text}"` : arg.text;
}

/** A quoted GUID is still an id; a quoted anything else a name; a bare word must be a GUID, as always. */
function eventRef(arg: Arg, which: 'outbound' | 'real-time'): EventRef | { problem: InputProblem } {
  const id = normaliseGuid(arg.text);
  if (id) return { kind: 'id', id };
  // not clipped with an ellipsis: the name is searched for (the directory bounds its length)
  if (arg.quoted) return arg.text ? { kind: 'name', name: arg.text } : { problem: { kind: 'empty_name' } };
  return HAS_INVISIBLE.test(arg.text)
    ? { problem: { kind: 'invisible_character', which, value: clip(showInvisible(arg.text)) } }
    : { problem: { kind: 'not_a_guid', which, value: clip(arg.text) } };
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
