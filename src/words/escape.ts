import { personName } from './format';
import type { Person } from '../migration/types';

/**
 * Text that comes from a person or a service (display names, echoed words, the service's errors), made safe
 * for where it goes: one function per target. Each keeps the words readable and takes away their power to
 * format, link, mention, break a line or turn the text around.
 */

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
/** control characters and the bidirectional marks, embeddings, overrides and isolates */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line, without controls: a name cannot start a new paragraph or reverse the sentence around it. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(INVISIBLE, '');
}

const htmlEntities = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The markdown that can act inside one line: emphasis, code, links and strikethrough. Parentheses, `#` or `>`
 * do nothing without a `[`, a line start or a `<`, so the service's sentences keep their look. An underscore
 * inside a word (EVENTS_API_TOKEN) emphasises nothing either.
 */
const escapeMarkdown = (text: string): string =>
  text.replace(/[\\`*[\]~]/g, '\\$&').replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');

/** A chat message in Teams markdown (which also renders HTML): `<` cannot open a tag, markdown cannot act. */
export function chatText(text: string): string {
  return escapeMarkdown(oneLine(text).replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** An Adaptive Card TextBlock or FactSet value (markdown, no HTML: an entity would show as typed). */
export function cardText(text: string): string {
  return escapeMarkdown(oneLine(text)).replace(/</g, '\\<');
}

/** Words shown inside `backticks`: nothing is formatted there, but a backtick would end the span. */
export function codeSpan(text: string): string {
  return oneLine(text).replace(/`/g, "'");
}

/**
 * The mention of a person: `<at>` + the name with `<`, `>` (and `&`) escaped + `</at>`. The message text and the
 * mention entity's text use this same string, so Teams matches them and the mention names only that person.
 */
export function mentionTag(person: Person): string {
  return `<at>${htmlEntities(oneLine(personName(person)))}</at>`;
}

/** A person's name in a chat message and on a card. */
export const chatName = (person: Person | undefined): string => chatText(personName(person));
export const cardName = (person: Person | undefined): string => cardText(personName(person));
