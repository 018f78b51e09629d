import type { TurnContext } from 'botbuilder';
import type { Command } from '../../migration/commandParser';
import type { Person } from '../../migration/types';

export interface CommandHandler<K extends Command['kind'] = Command['kind']> {
  handle(turn: TurnContext, command: Extract<Command, { kind: K }>, person: Person): Promise<void>;
}
