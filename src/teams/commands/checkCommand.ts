import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { BotDeps } from '../botDeps';
import type { CommandHandler } from './commandHandler';

/** `check`: whether the bot is set up to migrate here, from one status call (and Dataverse's sign-in). */
export class CheckCommand implements CommandHandler<'check'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext): Promise<void> {
    const report = await this.deps.setupCheck.run();
    this.deps.logger.info(
      { ready: report.ready, verdict: report.eventsApi.verdict.kind, dataverse: report.dataverse?.kind },
      'setup check',
    );
    await turn.sendActivity(messages.checkReport(report));
  }
}
