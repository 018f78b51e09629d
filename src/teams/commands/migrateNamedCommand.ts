import type { TurnContext } from 'botbuilder';
import type { Command, EventRef } from '../../migration/commandParser';
import type { EventKind, Reading } from '../../migration/dataverseFacts';
import { matchName, type EventDirectoryPort, type NameMatch } from '../../migration/eventDirectory';
import type { Person } from '../../migration/types';
import * as words from '../../words/eventText';
import type { BotDeps } from '../botDeps';
import { environmentFor } from '../environmentChoice';
import type { CommandHandler } from './commandHandler';
import type { MigrateCommand } from './migrateCommand';
import type { MigrateNewCommand } from './migrateNewCommand';

type Found = { kind: 'id'; id: string } | { kind: 'match'; match: NameMatch };

/**
 * `migrate "<name>" "<name>"` (or a name and a GUID, or `new` as the target): each name found in Dataverse; one
 * event each goes on exactly as `migrate <id> <id>`, anything else is answered and nothing is stored.
 */
export class MigrateNamedCommand implements CommandHandler<'migrate_named'> {
  constructor(
    private readonly deps: BotDeps,
    private readonly migrate: MigrateCommand,
    private readonly migrateNew: MigrateNewCommand,
  ) {}

  async handle(turn: TurnContext, command: Extract<Command, { kind: 'migrate_named' }>, person: Person) {
    const environment = await environmentFor(this.deps, turn, command.environment);
    if (!environment) return;
    const directory = environment.directory;
    if (!directory) {
      await turn.sendActivity(words.NEEDS_DATAVERSE);
      return;
    }
    const [from, to] = await Promise.all([
      this.find(directory, command.from, 'outbound'),
      command.to.kind === 'new' ? undefined : this.find(directory, command.to, 'real_time'),
    ]);
    const failed = [from, to].find((f): f is { ok: false; why: string } & Reading<never> => f !== undefined && !f.ok);
    if (failed) {
      await turn.sendActivity(words.nameLookupFailed(failed.why));
      return;
    }
    const fromId = this.settled(from as Reading<Found>, 'outbound');
    const toId = to === undefined ? 'new' : this.settled(to, 'real-time');
    const problems = [fromId, toId].filter((r): r is { problem: string } => typeof r !== 'string');
    if (problems.length > 0) {
      await turn.sendActivity(problems.map((p) => p.problem).join('\n\n'));
      return;
    }
    const [source, target] = [fromId as string, toId as string];
    const where = command.environment === undefined ? {} : { environment: command.environment };
    if (target === 'new')
      return this.migrateNew.handle(turn, { kind: 'migrate_new', fromEventId: source, ...where }, person);
    if (source === target) {
      await turn.sendActivity(words.SAME_EVENT_BY_NAME);
      return;
    }
    await this.migrate.handle(turn, { kind: 'migrate', fromEventId: source, toEventId: target, ...where }, person);
  }

  private async find(
    directory: EventDirectoryPort | undefined,
    ref: EventRef,
    expected: EventKind,
  ): Promise<Reading<Found>> {
    if (ref.kind === 'id') return { ok: true, value: ref };
    const found = await directory!.named(ref.name);
    return found.ok ? { ok: true, value: { kind: 'match', match: matchName(ref.name, found.value, expected) } } : found;
  }

  private settled(found: Reading<Found>, side: words.Side): string | { problem: string } {
    if (!found.ok) return { problem: found.why };
    const f = found.value;
    if (f.kind === 'id') return f.id;
    if (f.match.kind === 'one') return f.match.event.id;
    return { problem: words.nameProblem(side, f.match) };
  }
}
