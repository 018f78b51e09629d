import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import { inEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import type { CommandHandler } from './commandHandler';

/** `check`: whether the bot is set up to migrate here, from one status call (and Dataverse's sign-in). */
export class CheckCommand implements CommandHandler<'check'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'check' }>): Promise<void> {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const report = await environment.setupCheck.run();
    this.deps.logger.info(
      { ready: report.ready, verdict: report.eventsApi.verdict.kind, dataverse: report.dataverse?.kind },
      'setup check',
    );
    await turn.sendActivity(inEnvironment(this.deps.environments.mark(environment), messages.checkReport(report)));
  }
}
