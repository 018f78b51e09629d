import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/store/openStore';
import { tempDbFile } from './tempStore';

const FIXTURE = path.join(__dirname, 'fixtures', 'ackedWriter.js');
const KILL_AFTER_ACKS = 25;

/** Runs the writer until it has acknowledged `acks` writes, then SIGKILLs it; returns every acknowledged k. */
function runAndKill(file: string, acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    const acked = () => [...out.matchAll(/^acked (\d+)$/gm)].map((m) => Number(m[1]));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killed && acked().length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked());
      else reject(new Error(`writer ended by itself (code ${code}): ${err}`));
    });
  });
}

describe('SQLite job store: durability', () => {
  let db: ReturnType<typeof tempDbFile>;

  beforeEach(() => {
    db = tempDbFile();
  });

  afterEach(() => {
    fs.rmSync(db.dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write when the process is killed mid-way', async () => {
    const acked = await runAndKill(db.file, KILL_AFTER_ACKS);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    const store = await openStore(db.url);
    try {
      for (const k of acked) {
        const job = await store.getJob(`job-${k}`);
        expect(job).toMatchObject({ state: 'cancelled', lastError: `note ${k}`, version: 2 });
        const trail = await store.auditTrail(`job-${k}`);
        expect(trail.map((e) => [e.to, e.note])).toEqual([
          ['pending_approval', undefined],
          ['cancelled', `cancel ${k}`],
        ]);
      }
      // the file is usable after the kill: new writes go through
      const next = await store.update(`job-${acked[0]}`, { cardDirty: true });
      expect(next?.version).toBe(3);
    } finally {
      await store.close();
    }
  });
});
