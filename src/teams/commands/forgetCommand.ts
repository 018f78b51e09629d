import type { TurnContext } from 'botbuilder';
import * as words from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import type { Person } from '../../migration/types';
import type { BotDeps } from '../botDeps';
import { isFromJobsConversation } from '../cardActions/conversationBinding';
import { cardActivity, cardJson } from '../cardMessage';
import type { CommandHandler } from './commandHandler';

/** `forget <job id>`: the confirmation to stop following a running job, or why not. Nothing changes yet. */
export class ForgetCommand implements CommandHandler<'forget'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'forget' }>, person: Person): Promise<void> {
    const { migrations, clock, environments } = this.deps;
    const outcome = await migrations.askToForget(command.jobId, person);
    // As for the card's buttons: a job id alone proves nothing about where the person is.
    if (outcome.kind !== 'not_found' && !isFromJobsConversation(outcome.job, turn.activity)) {
      await turn.sendActivity(words.FORGET_ELSEWHERE);
      return;
    }
    switch (outcome.kind) {
      case 'confirm': {
        const card = cardJson(outcome.job, {
          now: clock.now(),
          ...environments.viewOf(outcome.job),
          viewer: person,
          confirmForget: true,
        });
        await turn.sendActivity(cardActivity(card));
        return;
      }
      case 'refused':
        await turn.sendActivity(words.refusalText(outcome.refusal));
        return;
      case 'unchanged':
        await turn.sendActivity(words.unchangedText(outcome));
        return;
      case 'not_found':
        await turn.sendActivity(words.unknownJobId(command.jobId));
        return;
    }
  }
}
