import type { TurnContext } from 'botbuilder';
import type { Command } from '../../migration/commandParser';
import { invalidText } from '../../words/catalogue';
import { idsMissingWithoutDataverse } from '../../words/eventText';
import type { BotDeps } from '../botDeps';
import { cardActivity } from '../cardMessage';
import { environmentFor } from '../environmentChoice';
import { channelOf } from '../people';
import { pickerCardJson } from '../pickers/pickerCard';

/** `migrate` alone: with Dataverse, the card to pick both events; without, what is missing and why. */
export class PickEvents {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'invalid' }>): Promise<void> {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    if (!environment.directory) {
      await turn.sendActivity(idsMissingWithoutDataverse(invalidText(command)));
      return;
    }
    const card = await pickerCardJson(
      environment.directory,
      { conversation: channelOf(turn.activity.conversation.id) },
      this.deps.environments.mark(environment),
    );
    await turn.sendActivity(cardActivity(card));
  }
}
