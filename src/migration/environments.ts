import type { ApprovalRules } from './approvalPolicy';
import type { EventDirectoryPort } from './eventDirectory';
import type { Migrations } from './migrations';
import type { SetupCheck } from './setupCheck';
import type { Job, JobStore } from './types';

/**
 * The environments one bot serves, each with its own ports (an Events API client, a Dataverse reader) and
 * approval rules, built by the composition root. A job belongs to the environment whose store identity (`key`, its
 * endpoint's key, as jobs stored before there were several) it carries; a command names one with `in <name>`,
 * or the conversation's `use <name>`, or there is only one.
 */

export interface Environment {
  /** what `in <name>` matches; `default` when ENVIRONMENTS is unset */
  name: string;
  /** the store identity: jobs.environment */
  key: string;
  production: boolean;
  rules: ApprovalRules;
  migrations: Migrations;
  setupCheck: Pick<SetupCheck, 'run'>;
  /** finding events by name (the pickers, names in `migrate`); absent without Dataverse */
  directory?: EventDirectoryPort;
}

/** How a command's environment was settled. */
export type EnvironmentChoice =
  | { kind: 'chosen'; environment: Environment }
  | { kind: 'unknown'; name: string; known: string[] }
  | { kind: 'unnamed'; known: string[] };

/** What a card or message about a job says of its environment: only when there are several. */
export interface EnvironmentMark {
  name: string;
  production: boolean;
}

type ConversationDefaults = Pick<JobStore, 'getConversationEnvironment' | 'setConversationEnvironment'>;

export class Environments {
  private readonly byName = new Map<string, Environment>();
  private readonly byKey = new Map<string, Environment>();

  constructor(
    private readonly list: readonly Environment[],
    private readonly defaults: ConversationDefaults,
  ) {
    if (list.length === 0) throw new Error('at least one environment');
    for (const e of list) {
      this.byName.set(e.name.toLowerCase(), e);
      this.byKey.set(e.key, e);
    }
  }

  all(): readonly Environment[] {
    return this.list;
  }

  names(): string[] {
    return this.list.map((e) => e.name);
  }

  get several(): boolean {
    return this.list.length > 1;
  }

  named(name: string): Environment | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The job's environment; a job of an environment no longer configured is left with the first one's rules. */
  of(job: Pick<Job, 'environment'>): Environment {
    return this.byKey.get(job.environment) ?? this.list[0];
  }

  /** What a card about the job says of its environment; nothing with one environment. */
  markOf(job: Pick<Job, 'environment'>): EnvironmentMark | undefined {
    return this.mark(this.of(job));
  }

  mark(e: Environment): EnvironmentMark | undefined {
    return this.several ? { name: e.name, production: e.production } : undefined;
  }

  /** What a job's card is drawn with: its environment's approval rules, and its name when there are several. */
  viewOf(job: Pick<Job, 'environment'>): { rules: ApprovalRules; environment?: EnvironmentMark } {
    return { rules: this.of(job).rules, environment: this.markOf(job) };
  }

  /** `in <name>` first, then the conversation's `use`, then the only one; several and none named: the list. */
  async choose(named: string | undefined, conversationKey: string): Promise<EnvironmentChoice> {
    if (named !== undefined) {
      const e = this.named(named);
      return e ? { kind: 'chosen', environment: e } : { kind: 'unknown', name: named, known: this.names() };
    }
    if (!this.several) return { kind: 'chosen', environment: this.list[0] };
    const stored = await this.defaults.getConversationEnvironment(conversationKey);
    const e = stored === undefined ? undefined : this.named(stored);
    return e ? { kind: 'chosen', environment: e } : { kind: 'unnamed', known: this.names() };
  }

  /** The conversation's default (`use` alone): the stored one while it is still configured. */
  async defaultOf(conversationKey: string): Promise<Environment | undefined> {
    if (!this.several) return this.list[0];
    const stored = await this.defaults.getConversationEnvironment(conversationKey);
    return stored === undefined ? undefined : this.named(stored);
  }

  /** `use <name>`: stored for the conversation; an unknown name changes nothing. */
  async use(name: string, conversationKey: string): Promise<EnvironmentChoice> {
    const e = this.named(name);
    if (!e) return { kind: 'unknown', name, known: this.names() };
    await this.defaults.setConversationEnvironment(conversationKey, e.name);
    return { kind: 'chosen', environment: e };
  }
}
