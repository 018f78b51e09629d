/**
 * The first step of a job whose target the bot makes, run by JobStarter after the `starting` claim and before the
 * start call. Exactly one event per approval: the id is the job's own (derived), so before creating, that id is
 * read; found, it is the one made earlier (a restart between the create call and recording it, a lost answer, a
 * retry). A create answered "already there" means the same. Only once the event is recorded on the job (while it
 * is still `starting` and nobody else recorded it, so a caller that lost track records nothing) may the start follow.
 */
import type { DraftEventsPort, DraftTarget } from './draftTarget';
import type { DomainLogger } from './ports';
import type { Clock, Job, JobStore } from './types';

export type PreparedTarget =
  { ok: true; job: Job } | { ok: false; job: Job; reason: string } | { ok: false; lost: Job | undefined };

export interface DraftMakerDeps {
  store: JobStore;
  clock: Clock;
  logger: DomainLogger;
  /** absent without DATAVERSE_URL: a job that needs its event made then cannot start */
  drafts?: DraftEventsPort;
}

export class DraftMaker {
  constructor(private readonly deps: DraftMakerDeps) {}

  /** The job with its target there and recorded; or why it cannot start; or `lost` when another caller moved it. */
  async prepare(job: Job): Promise<PreparedTarget> {
    const draft = job.draftTarget;
    if (!draft || draft.createdAt) return { ok: true, job };
    const { drafts, logger } = this.deps;
    if (!drafts)
      return {
        ok: false,
        job,
        reason: 'The real-time event could not be created: the bot has no Dataverse here (DATAVERSE_URL).',
      };
    const id = job.toEventId;
    const before = await drafts.exists(id);
    if (!before.ok) return { ok: false, job, reason: `The real-time event could not be created: ${before.why}` };
    if (before.value) return this.record(job, draft, true);
    const answer = await drafts.create(id, draft.spec);
    if (answer.kind === 'created') return this.record(job, draft, false);
    if (answer.kind === 'exists') return this.record(job, draft, true);
    // The answer may have been lost on the way back: the row tells.
    const after = await drafts.exists(id);
    if (after.ok && after.value) return this.record(job, draft, false);
    logger.warn({ jobId: job.id, eventId: id, why: answer.why }, 'creating the draft real-time event failed');
    return { ok: false, job, reason: `The real-time event could not be created in Dataverse: ${answer.why}` };
  }

  /** Recorded while the job is still being started (other writes, such as a card's delivery, may come between). */
  private async record(job: Job, draft: DraftTarget, found: boolean): Promise<PreparedTarget> {
    const { store, clock, drafts } = this.deps;
    const made: DraftTarget = {
      ...draft,
      createdAt: clock.now().toISOString(),
      foundExisting: found,
      link: drafts?.link(job.toEventId),
    };
    let current: Job | undefined = job;
    for (let attempt = 0; attempt < 5 && current?.state === 'starting'; attempt++) {
      const written = await store.update(job.id, { draftTarget: made, cardDirty: true }, current.version);
      if (written) {
        this.deps.logger.info({ jobId: job.id, eventId: job.toEventId, found }, 'draft real-time event ready');
        return { ok: true, job: written };
      }
      current = await store.getJob(job.id);
      // another caller (a replica whose mark outlived ours) recorded it first: the start is theirs
      if (current?.draftTarget?.createdAt) break;
    }
    return { ok: false, lost: current };
  }
}
