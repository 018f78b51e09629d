import type { TurnContext } from 'botbuilder';
import * as messages from '../../words/catalogue';
import type { Command } from '../../migration/commandParser';
import type { Environment } from '../../migration/environments';
import { inEnvironment } from '../../words/environmentText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import type { CommandHandler } from './commandHandler';

/** `missing [job id]`: every registration of an ended job that did not arrive, read from Dataverse, in pages. */
export class MissingCommand implements CommandHandler<'missing'> {
  constructor(private readonly deps: BotDeps) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'missing' }>): Promise<void> {
    // A job id names its environment; without one, the last job of the environment the command is for.
    const environment = command.jobId ? undefined : await environmentFor(this.deps, turn, command.environment);
    if (!command.jobId && !environment) return;
    const outcome = command.jobId
      ? await this.deps.migrations.missing(command.jobId)
      : await (environment as Environment).migrations.missing(undefined);
    switch (outcome.kind) {
      case 'no_dataverse':
        await turn.sendActivity(messages.NO_DATAVERSE);
        return;
      case 'not_found':
        await turn.sendActivity(command.jobId ? messages.unknownJob(false) : messages.NO_MIGRATION_YET);
        return;
      case 'not_ended':
        await turn.sendActivity(
          inEnvironment(this.deps.environments.markOf(outcome.job), messages.missingNotEnded(outcome.job)),
        );
        return;
      case 'listed':
        if (!outcome.list.ok) {
          await turn.sendActivity(messages.missingUnknown(outcome.list.why));
          return;
        }
        for (const page of messages.missingPages(outcome.job, outcome.list.names))
          await turn.sendActivity(inEnvironment(this.deps.environments.markOf(outcome.job), page));
    }
  }
}
