import type { TurnContext } from 'botbuilder';
import type { Command } from '../../migration/commandParser';
import { invalidText } from '../../words/catalogue';
import type { CommandHandler } from './commandHandler';
import type { PickEvents } from './pickEvents';

/**
 * Bad input: say what is wrong, with the value; nothing is stored or called. `migrate` alone is not bad input when
 * the events can be picked from lists: it answers with the picker card instead.
 */
export class InvalidCommand implements CommandHandler<'invalid'> {
  constructor(private readonly picker?: PickEvents) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'invalid' }>): Promise<void> {
    if (this.picker && command.command === 'migrate' && command.problem.kind === 'no_ids')
      return this.picker.handle(turn, command);
    await turn.sendActivity(invalidText(command));
  }
}
