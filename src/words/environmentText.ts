import type { EnvironmentMark } from '../migration/environments';
import { chatText } from './escape';

/** The sentences about environments: which one a command is for, and the answers to `use`. */

const list = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(', ');

export function unknownEnvironment(name: string, known: readonly string[]): string {
  return `There is no environment "${chatText(name)}" here. The environments are ${list(known)}: end the command with \`in <name>\`, for example \`status in ${known[0]}\`.`;
}

export function unnamedEnvironment(known: readonly string[]): string {
  return `This bot serves several environments: ${list(known)}. Say which: end the command with \`in <name>\` (for example \`status in ${known[0]}\`), or set this conversation's default with \`use <name>\`.`;
}

export function environmentSet(name: string, channel: boolean): string {
  const where = channel ? 'This channel (every thread in it)' : 'This chat';
  return `${where} now works in \`${name}\`: commands without \`in <name>\` are for it.`;
}

export function environmentShown(name: string | undefined, known: readonly string[], channel: boolean): string {
  const where = channel ? 'This channel' : 'This chat';
  if (known.length === 1) return `This bot serves one environment (\`${known[0]}\`): nothing needs naming.`;
  if (name === undefined)
    return `${where} has no default environment. The environments are ${list(known)}: \`use <name>\` sets one.`;
  return `${where} works in \`${name}\`. The environments are ${list(known)}: \`use <name>\` changes it.`;
}

/** A message about a job in one of several environments starts with its name (and says production loudly). */
export function inEnvironment(mark: EnvironmentMark | undefined, text: string): string {
  if (!mark) return text;
  return `${mark.production ? `**PRODUCTION** \`${mark.name}\`` : `\`${mark.name}\``}: ${text}`;
}
