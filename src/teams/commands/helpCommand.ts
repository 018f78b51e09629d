import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import type { CommandHandler } from './commandHandler';

/** `help`, and the answer to anything the bot does not know. */
export class HelpCommand implements CommandHandler<'help'> {
  async handle(turn: TurnContext, command: Extract<Command, { kind: 'help' }>): Promise<void> {
    await turn.sendActivity(messages.help(command.unknownWord));
  }
}
