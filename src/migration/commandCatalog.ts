/**
 * The commands the bot answers: the single source for the help text and the Teams manifest's commandLists,
 * so the two cannot drift apart.
 */

export type CommandName = 'migrate' | 'status' | 'history' | 'queue' | 'check' | 'forget' | 'missing' | 'use' | 'help';

export interface CommandInfo {
  name: CommandName;
  usage: string;
  /** at most 128 characters (the manifest's limit), and short enough to carry the usage there too */
  description: string;
  example: string;
}

export const COMMANDS: ReadonlyArray<CommandInfo> = [
  {
    name: 'migrate',
    usage: 'migrate <outbound-event-id> <real-time-event-id>',
    description: "Copy an outbound event's registrations into a draft real-time event.",
    example: 'migrate 6f1c2a3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b 0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a',
  },
  {
    name: 'status',
    usage: 'status',
    description: 'The current or last migration here: state, counts, percent, time left and who approved it.',
    example: 'status',
  },
  {
    name: 'history',
    usage: 'history',
    description: 'The last 10 migrations, newest first: ids, state, who asked, who approved and when.',
    example: 'history',
  },
  {
    name: 'queue',
    usage: 'queue',
    description: 'What runs and what waits here, in order: ids, who approved, expected start and end.',
    example: 'queue',
  },
  {
    name: 'check',
    usage: 'check',
    description:
      'Is the bot set up? One status call: endpoint, token, migration tool, current job; and Dataverse access.',
    example: 'check',
  },
  {
    name: 'forget',
    usage: 'forget <job id>',
    description: 'Approvers: stop following a migration (the service is not told) and free the environment.',
    example: 'forget 3b2f9c1e-7d4a-4e8b-9c0d-5a6b7c8d9e0f',
  },
  {
    name: 'missing',
    usage: 'missing [job-id]',
    description: 'Registrations that did not arrive, read from Dataverse: the last job here, or the one given.',
    example: 'missing',
  },
  {
    name: 'use',
    usage: 'use [environment]',
    description:
      'With several environments: the one this chat or channel works in unless a command ends with in <name>.',
    example: 'use test',
  },
  {
    name: 'help',
    usage: 'help',
    description: 'The commands, with an example of each.',
    example: 'help',
  },
];
