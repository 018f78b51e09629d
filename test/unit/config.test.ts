import { ConfigError, loadConfig } from '../../src/config';

const SECRET = 's3cr3t-T0ken-value-9f8e7d';
const GOOD = {
  EVENTS_API_ENDPOINT: 'https://public-eur.mkt.dynamics.com/api/v1.0/orgs/o1/eventmanagement/',
  EVENTS_API_TOKEN: SECRET,
};

function problemsOf(env: NodeJS.ProcessEnv, options?: { requireEventsApi?: boolean }): string {
  try {
    loadConfig(env, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults', () => {
  it('runs on defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      statusPollIntervalMs: 60000,
      databaseUrl: 'sqlite:./data/bot.db',
      approverIds: [],
      requireSecondApprover: false,
      approvalTtlMinutes: 1440,
      allowedTenantIds: [],
      logLevel: 'info',
      bot: { appId: undefined },
      eventsApi: { endpoint: undefined, token: undefined, origin: undefined },
    });
  });

  it('treats empty and blank values as unset', () => {
    const c = loadConfig({ PORT: '', APPROVAL_TTL_MINUTES: '  ', MicrosoftAppId: '', LOG_LEVEL: '' });
    expect(c.port).toBe(3978);
    expect(c.approvalTtlMinutes).toBe(1440);
    expect(c.bot.appId).toBeUndefined();
    expect(c.logLevel).toBe('info');
  });

  it('reads lists trimmed and lower-cased, and booleans in their usual spellings', () => {
    const c = loadConfig({
      APPROVER_IDS: ' AAAA-1 , bbbb-2,,',
      ALLOWED_TENANT_IDS: 'T1',
      REQUIRE_SECOND_APPROVER: 'yes',
    });
    expect(c.approverIds).toEqual(['aaaa-1', 'bbbb-2']);
    expect(c.allowedTenantIds).toEqual(['t1']);
    expect(c.requireSecondApprover).toBe(true);
    expect(loadConfig({ REQUIRE_SECOND_APPROVER: '0' }).requireSecondApprover).toBe(false);
  });
});

describe('loadConfig refusals name the variable', () => {
  it.each([
    ['PORT', 'seventy', /PORT: expected a port number/],
    ['PORT', '70000', /PORT: expected a port number \(at most 65535\)/],
    ['STATUS_POLL_INTERVAL_MS', '10', /STATUS_POLL_INTERVAL_MS: .*at least 100/],
    ['APPROVAL_TTL_MINUTES', '0', /APPROVAL_TTL_MINUTES: expected a number of minutes \(at least 1\)/],
    ['APPROVAL_TTL_MINUTES', '1.5', /APPROVAL_TTL_MINUTES: expected a number of minutes/],
    ['REQUIRE_SECOND_APPROVER', 'maybe', /REQUIRE_SECOND_APPROVER: expected true or false/],
    ['DATABASE_URL', 'mysql://db/bot', /DATABASE_URL: expected sqlite:<path> .* or postgres:\/\//],
    ['LEASE_MS', '10', /LEASE_MS: .*at least 1000/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of/],
    ['EVENTS_API_ENDPOINT', 'not a url', /EVENTS_API_ENDPOINT: expected an http\(s\) URL/],
    ['EVENTS_API_ENDPOINT', 'ftp://x/y', /EVENTS_API_ENDPOINT: expected an http\(s\) URL/],
    ['EVENTS_API_ORIGIN', 'contoso', /EVENTS_API_ORIGIN: expected an http\(s\) URL/],
    ['MicrosoftAppType', 'Single', /MicrosoftAppType: expected SingleTenant/],
  ])('%s=%s', (name, value, expected) => {
    expect(problemsOf({ [name]: value })).toMatch(expected);
  });

  it('lists every bad variable in one message', () => {
    const message = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql:x' });
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/LOG_LEVEL:/);
    expect(message).toMatch(/DATABASE_URL:/);
  });

  it('requires the endpoint and the token for npm start only', () => {
    expect(() => loadConfig({}, { requireEventsApi: false })).not.toThrow();
    const message = problemsOf({}, { requireEventsApi: true });
    expect(message).toMatch(/EVENTS_API_ENDPOINT: required/);
    expect(message).toMatch(/EVENTS_API_TOKEN: required/);
    expect(loadConfig(GOOD, { requireEventsApi: true }).eventsApi.token).toBe(SECRET);
  });

  it('requires the password with an app id, and the tenant for a single-tenant bot', () => {
    expect(problemsOf({ MicrosoftAppId: 'app' })).toMatch(/MicrosoftAppPassword: required when MicrosoftAppId is set/);
    expect(problemsOf({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant' })).toMatch(
      /MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant/,
    );
    expect(() => loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI' })).not.toThrow();
  });
});

describe('the token stays out of errors', () => {
  it('never shows the token, whatever else is wrong', () => {
    const message = problemsOf(
      { ...GOOD, PORT: SECRET, EVENTS_API_ORIGIN: SECRET, LOG_LEVEL: SECRET },
      { requireEventsApi: true },
    );
    expect(message).toMatch(/PORT:/);
    expect(message).not.toContain(SECRET);
  });

  it('does not echo a token pasted into the endpoint', () => {
    const message = problemsOf({ EVENTS_API_ENDPOINT: SECRET, EVENTS_API_TOKEN: SECRET });
    expect(message).toMatch(/EVENTS_API_ENDPOINT:/);
    expect(message).not.toContain(SECRET);
  });
});

describe('the metrics listener', () => {
  it('is off when METRICS_PORT is unset, and on loopback unless METRICS_HOST says otherwise', () => {
    expect(loadConfig(GOOD).metrics).toBeUndefined();
    expect(loadConfig({ ...GOOD, METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ ...GOOD, METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({
      port: 9464,
      host: '0.0.0.0',
    });
  });

  it('refuses a bad port, the bot port itself, and a host without a port, naming the variable', () => {
    expect(problemsOf({ ...GOOD, METRICS_PORT: 'nine' })).toMatch(/METRICS_PORT: expected a port number/);
    expect(problemsOf({ ...GOOD, METRICS_PORT: '70000' })).toMatch(/METRICS_PORT: .*at most 65535/);
    expect(problemsOf({ ...GOOD, PORT: '3978', METRICS_PORT: '3978' })).toMatch(/METRICS_PORT: must differ from PORT/);
    expect(problemsOf({ ...GOOD, METRICS_HOST: '127.0.0.1' })).toMatch(
      /METRICS_HOST: has no effect without METRICS_PORT/,
    );
    expect(problemsOf({ ...GOOD, METRICS_PORT: '9464', METRICS_HOST: 'a b' })).toMatch(/METRICS_HOST: expected a host/);
  });
});
