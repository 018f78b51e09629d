import type { TurnContext } from 'botbuilder';
import type { Environment } from '../migration/environments';
import { unknownEnvironment, unnamedEnvironment } from '../words/environmentText';
import type { BotDeps } from './botDeps';
import { channelOf } from './people';

/** Where a conversation's `use` is kept: a channel's id (every thread in it), or the chat's. */
export function conversationKey(turn: TurnContext): string {
  return channelOf(turn.activity.conversation.id);
}

/** The environment a command is for, or undefined once the person has been told the names to choose from. */
export async function environmentFor(
  deps: BotDeps,
  turn: TurnContext,
  named: string | undefined,
): Promise<Environment | undefined> {
  const choice = await deps.environments.choose(named, conversationKey(turn));
  if (choice.kind === 'chosen') return choice.environment;
  await turn.sendActivity(
    choice.kind === 'unknown' ? unknownEnvironment(choice.name, choice.known) : unnamedEnvironment(choice.known),
  );
  return undefined;
}
