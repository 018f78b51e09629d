import type { TurnContext } from 'botbuilder';
import type { Command } from '../../migration/commandParser';
import { environmentSet, environmentShown, unknownEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { conversationKey } from '../environmentChoice';
import type { CommandHandler } from './commandHandler';

/** `use <name>`: this conversation's default environment (a channel's: every thread); `use` alone says which. */
export class UseCommand implements CommandHandler<'use'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'use' }>): Promise<void> {
    const { environments } = this.deps;
    const key = conversationKey(turn);
    const channel = key !== turn.activity.conversation.id || turn.activity.conversation.conversationType === 'channel';
    if (command.environment === undefined) {
      const current = await environments.defaultOf(key);
      await turn.sendActivity(environmentShown(current?.name, environments.names(), channel));
      return;
    }
    const choice = await environments.use(command.environment, key);
    await turn.sendActivity(
      choice.kind === 'chosen'
        ? environmentSet(choice.environment.name, channel)
        : unknownEnvironment(command.environment, environments.names()),
    );
  }
}
