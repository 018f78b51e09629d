import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEED } from '../../../src/sim/dataverse/seed';
import { SIM_APP, startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';

/** The real sign-in: @azure/identity in its own process, against an https token server with a test certificate. */

const FIXTURE = path.join(__dirname, 'fixtures', 'signIn.js');
const CERT_APP = { tenantId: SIM_APP.tenantId, clientId: '0d0d0d0d-0000-4000-8000-00000000000c' };

let dir: string;
let certFile: string;
let org: SimOrganisation;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dv-signin-'));
  certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  // the same key and certificate serve as the app's sign-in certificate (one PEM with both)
  writeFileSync(path.join(dir, 'app.pem'), readFileSync(keyFile, 'utf8') + readFileSync(certFile, 'utf8'));
  org = await startOrganisation({
    tls: { key: readFileSync(keyFile), cert: readFileSync(certFile) },
    apps: [SIM_APP, CERT_APP],
  });
});
afterAll(async () => {
  await org?.close();
});

interface Run {
  result: {
    first?: {
      ok: boolean;
      value?: { userId: string; globalRead: Record<string, boolean> };
      kind?: string;
      why?: string;
    };
    second?: { ok: boolean };
  };
  stdout: string;
  stderr: string;
}

function run(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE], {
      env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: certFile, ...org.env(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('exit', () => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return reject(new Error(`no answer from the sign-in process: ${stderr.slice(-1500)}`));
      resolve({ result: JSON.parse(line) as Run['result'], stdout, stderr });
    });
  });
}

describe('signing in to Dataverse through @azure/identity', () => {
  it('with a client secret: gets a token once, proves who it is and what it may read, logs no secret or token', async () => {
    const before = org.tokens.requests.length;
    const { result, stdout, stderr } = await run({});
    expect(result.first).toMatchObject({ ok: true, value: { userId: SEED.appUserId } });
    expect(Object.values(result.first!.value!.globalRead).every(Boolean)).toBe(true);
    expect(result.second).toMatchObject({ ok: true });
    // the second read used the cached token
    expect(org.tokens.requests.slice(before)).toEqual([{ clientId: SIM_APP.clientId, status: 200 }]);
    expect(stdout + stderr).not.toContain(SIM_APP.clientSecret);
    expect(stdout + stderr).not.toMatch(/sim-[0-9a-f]{48}/);
  }, 30_000);

  it('a wrong secret is refused with a clear error that does not contain it', async () => {
    const wrong = 'wrong-secret-value-12345';
    const { result, stdout, stderr } = await run({ AZURE_CLIENT_SECRET: wrong });
    expect(result.first).toMatchObject({ ok: false, kind: 'sign_in' });
    expect(result.first!.why).toMatch(
      /^The bot could not sign in to Dataverse: AADSTS7000215: Invalid client secret provided/,
    );
    expect(stdout + stderr).not.toContain(wrong);
  }, 30_000);

  it('an unknown app is named as such', async () => {
    const { result } = await run({ AZURE_CLIENT_ID: '0e0e0e0e-0000-4000-8000-00000000000e' });
    expect(result.first).toMatchObject({ ok: false, kind: 'sign_in', why: expect.stringContaining('AADSTS700016') });
  }, 30_000);

  it('with a client certificate', async () => {
    const { result } = await run({
      AZURE_CLIENT_ID: CERT_APP.clientId,
      AZURE_CLIENT_SECRET: '',
      AZURE_CLIENT_CERTIFICATE_PATH: path.join(dir, 'app.pem'),
    });
    expect(result.first).toMatchObject({ ok: true, value: { userId: SEED.appUserId } });
  }, 30_000);
});
