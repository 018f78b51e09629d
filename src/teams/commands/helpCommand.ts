import type { TurnContext } from 'botbuilder';
import * as messages from '../../migration/messages';
import type { Command } from '../../migration/commandParser';
import type { CommandHandler } from './commandHandler';

/** `help`, and the answer to anything the bot does not know. */
export class HelpCommand implements CommandHandler<'help'> {
  readonly kind = 'help' as const;

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'help' }>): Promise<void> {
    await turn.sendActivity(messages.help(command.unknownWord));
  }
}
