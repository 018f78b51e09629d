import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const SECRET = 'dv-S3cret-value-4a5b6c';
const URL_ = 'https://contoso.crm4.dynamics.com';
const AZURE = { AZURE_TENANT_ID: 't1', AZURE_CLIENT_ID: 'c1', AZURE_CLIENT_SECRET: SECRET };

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('Dataverse configuration', () => {
  it('is off without DATAVERSE_URL, whatever AZURE_* says', () => {
    expect(loadConfig({}).dataverse).toBeUndefined();
    expect(
      loadConfig({ DATAVERSE_URL: ' ', AZURE_CLIENT_SECRET: 'x', AZURE_AUTHORITY_HOST: 'nonsense' }).dataverse,
    ).toBeUndefined();
  });

  it('signs in with a client secret, the URL reduced to its origin', () => {
    expect(loadConfig({ DATAVERSE_URL: `${URL_}/`, ...AZURE }).dataverse).toEqual({
      url: URL_,
      signIn: { kind: 'client_secret', tenantId: 't1', clientId: 'c1', clientSecret: SECRET, from: 'azure' },
      authorityHost: undefined,
      disableInstanceDiscovery: false,
    });
  });

  it('signs in with a certificate file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dv-cert-'));
    const file = path.join(dir, 'app.pem');
    writeFileSync(file, 'not really a pem');
    const c = loadConfig({
      DATAVERSE_URL: URL_,
      AZURE_TENANT_ID: 't1',
      AZURE_CLIENT_ID: 'c1',
      AZURE_CLIENT_CERTIFICATE_PATH: file,
    });
    expect(c.dataverse?.signIn).toEqual({
      kind: 'client_certificate',
      tenantId: 't1',
      clientId: 'c1',
      certificatePath: file,
      from: 'azure',
    });
    expect(
      problems({
        DATAVERSE_URL: URL_,
        AZURE_TENANT_ID: 't1',
        AZURE_CLIENT_ID: 'c1',
        AZURE_CLIENT_CERTIFICATE_PATH: `${file}.gone`,
      }),
    ).toMatch(/AZURE_CLIENT_CERTIFICATE_PATH: no file there/);
  });

  it('AZURE_CLIENT_ID alone is a managed identity', () => {
    expect(loadConfig({ DATAVERSE_URL: URL_, AZURE_CLIENT_ID: 'mi1' }).dataverse?.signIn).toEqual({
      kind: 'managed_identity',
      clientId: 'mi1',
      from: 'azure',
    });
  });

  it("without AZURE_* uses the bot's own app registration", () => {
    const bot = {
      MicrosoftAppId: 'app1',
      MicrosoftAppPassword: SECRET,
      MicrosoftAppTenantId: 't9',
      MicrosoftAppType: 'SingleTenant',
    };
    expect(loadConfig({ DATAVERSE_URL: URL_, ...bot }).dataverse?.signIn).toEqual({
      kind: 'client_secret',
      tenantId: 't9',
      clientId: 'app1',
      clientSecret: SECRET,
      from: 'bot',
    });
    expect(
      loadConfig({ DATAVERSE_URL: URL_, MicrosoftAppId: 'app1', MicrosoftAppType: 'UserAssignedMSI' }).dataverse
        ?.signIn,
    ).toEqual({ kind: 'managed_identity', clientId: 'app1', from: 'bot' });
    expect(problems({ DATAVERSE_URL: URL_ })).toMatch(/DATAVERSE_URL: set, but there is no way to sign in/);
  });

  it('turns instance discovery off for an authority that is not a Microsoft cloud', () => {
    const local = loadConfig({
      DATAVERSE_URL: URL_,
      ...AZURE,
      AZURE_AUTHORITY_HOST: 'https://127.0.0.1:8443',
    }).dataverse;
    expect(local).toMatchObject({ authorityHost: 'https://127.0.0.1:8443', disableInstanceDiscovery: true });
    const gov = loadConfig({
      DATAVERSE_URL: URL_,
      ...AZURE,
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/',
    }).dataverse;
    expect(gov).toMatchObject({ authorityHost: 'https://login.microsoftonline.us', disableInstanceDiscovery: false });
  });

  it('reports every bad value in one message, naming variables and never the secret', () => {
    const message = problems({
      DATAVERSE_URL: 'http://contoso.crm4.dynamics.com/api/data',
      AZURE_AUTHORITY_HOST: 'http://login.example',
      AZURE_TENANT_ID: 't1',
      AZURE_CLIENT_SECRET: SECRET,
      PORT: 'x',
    });
    expect(message).toMatch(/DATAVERSE_URL: expected the environment URL/);
    expect(message).toMatch(/AZURE_AUTHORITY_HOST: expected an https URL/);
    expect(message).toMatch(/AZURE_CLIENT_ID: required/);
    expect(message).toMatch(/PORT:/);
    expect(message).not.toContain(SECRET);
  });

  it.each([
    [{ ...AZURE, AZURE_CLIENT_CERTIFICATE_PATH: '/x.pem' }, /give one of them, not both/],
    [{ AZURE_CLIENT_ID: 'c1', AZURE_CLIENT_SECRET: SECRET }, /AZURE_TENANT_ID: required/],
    [{ AZURE_TENANT_ID: 't1', AZURE_CLIENT_ID: 'c1' }, /AZURE_CLIENT_SECRET: required with AZURE_TENANT_ID/],
  ])('refuses an incomplete sign-in %#', (env, expected) => {
    expect(problems({ DATAVERSE_URL: URL_, ...env })).toMatch(expected);
  });

  it('accepts plain http only on loopback (the simulator)', () => {
    expect(loadConfig({ DATAVERSE_URL: 'http://127.0.0.1:7072', ...AZURE }).dataverse?.url).toBe(
      'http://127.0.0.1:7072',
    );
    expect(problems({ DATAVERSE_URL: 'http://contoso.crm4.dynamics.com', ...AZURE })).toMatch(/DATAVERSE_URL/);
  });
});
