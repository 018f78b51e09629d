import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../../src/sim/simulator';

/**
 * `npm start`'s entry point as an operator meets it: a bad configuration stops it with one readable message
 * (no stack trace, no secret), and SIGTERM stops it cleanly.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HOOK = path.join(ROOT, 'test', 'helpers', 'tsRequireHook.js');
const ENTRY = path.join(ROOT, 'src', 'index.ts');
const WITHOUT_DEV_DEPENDENCIES = path.join(ROOT, 'test', 'helpers', 'withoutDevDependencies.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(env: Record<string, string>, cwd: string, preload: string[] = []) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(EVENTS_API_|Microsoft|DATABASE_URL|PORT$|APPROVER|ALLOWED|LOG_LEVEL)/.test(k),
    ),
  );
  const child = spawn(process.execPath, ['-r', HOOK, ...preload.flatMap((p) => ['-r', p]), ENTRY], {
    cwd,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (run.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (run.stderr += c.toString()));
  const exited = new Promise<Run>((resolve) => child.once('exit', (code) => resolve({ ...run, code })));
  return { child, run, exited };
}

describe('the entry point (npm start)', () => {
  let dir: string;
  let sim: Simulator | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-entry-'));
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad configuration with one message naming each bad variable, without the secret or a stack trace', async () => {
    const secret = 's3cret-t0ken-value';
    const { exited } = start(
      {
        EVENTS_API_ENDPOINT: `not a url ${secret}`,
        EVENTS_API_TOKEN: secret,
        PORT: 'eighty',
        APPROVAL_TTL_MINUTES: '-5',
      },
      dir,
    );
    const run = await exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Configuration is not valid');
    expect(run.stderr).toMatch(/EVENTS_API_ENDPOINT: expected an http\(s\) URL/);
    expect(run.stderr).toMatch(/PORT: expected a port number/);
    expect(run.stderr).toMatch(/APPROVAL_TTL_MINUTES: expected a number of minutes/);
    expect(run.stderr + run.stdout).not.toContain(secret);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('says what is required when the Events API is not configured at all', async () => {
    const run = await start({}, dir).exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/EVENTS_API_ENDPOINT: required/);
    expect(run.stderr).toMatch(/EVENTS_API_TOKEN: required/);
  });

  it('serves /healthz and /readyz, then stops cleanly on SIGTERM', async () => {
    sim = await startSimulator();
    const { child, run, exited } = start(
      { EVENTS_API_ENDPOINT: sim.url, EVENTS_API_TOKEN: 'dev-token', PORT: '0', DATABASE_URL: 'sqlite:./data/bot.db' },
      dir,
    );
    const port = await new Promise<number>((resolve, reject) => {
      const look = () => {
        const m = /"port":(\d+)/.exec(run.stdout);
        if (m) resolve(Number(m[1]));
      };
      child.stdout.on('data', look);
      void exited.then((r) => reject(new Error(`exited early: ${r.stderr}`)));
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    child.kill('SIGTERM');
    const ended = await exited;
    expect(ended.code).toBe(0);
    expect(ended.stderr).toContain('SIGTERM');
    expect(fs.existsSync(path.join(dir, 'data', 'bot.db'))).toBe(true);
  });

  it('runs without the dev dependencies (as after npm prune --omit=dev) and logs one JSON object a line', async () => {
    sim = await startSimulator();
    const { child, run, exited } = start(
      { EVENTS_API_ENDPOINT: sim.url, EVENTS_API_TOKEN: 'dev-token', PORT: '0', DATABASE_URL: 'sqlite:./data/bot.db' },
      dir,
      [WITHOUT_DEV_DEPENDENCIES],
    );
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /"port":(\d+)/.exec(run.stdout);
        if (m) resolve(Number(m[1]));
      });
      void exited.then((r) => reject(new Error(`exited early: ${r.stderr}`)));
    });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    child.kill('SIGTERM');
    const ended = await exited;
    expect(ended.code).toBe(0);
    const complete = run.stdout.slice(0, run.stdout.lastIndexOf('\n'));
    const lines = complete.split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
  });

  it('checks its setup once at start and logs the result in words, and starts anyway when it is wrong', async () => {
    sim = await startSimulator();
    const wrong = 'wrong-token-at-start-42';
    const { child, run, exited } = start(
      { EVENTS_API_ENDPOINT: sim.url, EVENTS_API_TOKEN: wrong, PORT: '0', DATABASE_URL: 'sqlite:./data/bot.db' },
      dir,
    );
    const line = await new Promise<{ msg: string; port?: number }>((resolve, reject) => {
      const look = () => {
        const found = run.stdout.split('\n').find((l) => l.includes('setup check'));
        if (found) resolve(JSON.parse(found) as { msg: string });
      };
      child.stdout.on('data', look);
      void exited.then((r) => reject(new Error(`exited early: ${r.stderr}`)));
    });
    expect(line.msg).toMatch(/^setup check: not ready: .*token was refused \(401\)\. Fix EVENTS_API_TOKEN/);
    expect(sim.statusCalls()).toHaveLength(1);
    const port = Number(/"port":(\d+)/.exec(run.stdout)![1]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    const ended = await exited;
    expect(ended.code).toBe(0);
    expect(ended.stdout + ended.stderr).not.toContain(wrong);
  });
});
