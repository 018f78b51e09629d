import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { JobStore } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { ENVIRONMENT, nextJob } from '../../helpers/jobs';
import { audit, tempDbFile } from './tempStore';

const FIXTURE = path.join(__dirname, 'fixtures', 'racingApprover.js');
const ROUNDS = 5;

interface Answer {
  jobId: string;
  ok: boolean;
  reason?: string;
  activeId?: string;
}

/** A racing approver process and a way to wait for its next line. */
function startRacer(file: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [FIXTURE, file]);
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const early = lines.shift();
      if (early !== undefined) return resolve(early);
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`racer exited (${code}): ${err}`)));
    });
  return { child, nextLine };
}

describe('SQLite job store: two bot processes on one file', () => {
  let db: ReturnType<typeof tempDbFile>;
  let store: JobStore;
  let racers: Array<ReturnType<typeof startRacer>>;

  beforeEach(async () => {
    db = tempDbFile();
    store = await openStore(db.url);
    racers = [startRacer(db.file), startRacer(db.file)];
    await Promise.all(racers.map((r) => r.nextLine())); // both "ready"
  });

  afterEach(async () => {
    for (const { child } of racers) child.kill('SIGKILL');
    await store.close();
    fs.rmSync(db.dir, { recursive: true, force: true });
  });

  it('approves exactly one job per round when both processes approve at the same moment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const jobs = [nextJob(), nextJob()];
      for (const job of jobs) await store.createJob(job, audit());

      racers.forEach((r, i) => r.child.stdin.write(`go ${jobs[i].id}\n`));
      const answers = (await Promise.all(racers.map((r) => r.nextLine()))).map((l) => JSON.parse(l) as Answer);

      const winners = answers.filter((a) => a.ok);
      expect(winners).toHaveLength(1);
      expect(answers.find((a) => !a.ok)).toMatchObject({ reason: 'busy', activeId: winners[0].jobId });
      expect((await store.activeJob(ENVIRONMENT))?.id).toBe(winners[0].jobId);

      // free the slot for the next round
      await store.transition(winners[0].jobId, ['approved'], 'starting', {}, audit());
      await store.transition(winners[0].jobId, ['starting'], 'start_failed', {}, audit());
    }
  });
});
