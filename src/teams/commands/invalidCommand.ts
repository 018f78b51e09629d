import type { TurnContext } from 'botbuilder';
import type { Command } from '../../migration/commandParser';
import { invalidText } from '../../words/catalogue';
import type { CommandHandler } from './commandHandler';

/** Bad input: say what is wrong, with the value; nothing is stored or called. */
export class InvalidCommand implements CommandHandler<'invalid'> {
  async handle(turn: TurnContext, command: Extract<Command, { kind: 'invalid' }>): Promise<void> {
    await turn.sendActivity(invalidText(command));
  }
}
