import { ConfigError, loadConfig } from '../../src/config';

const PROD_TOKEN = 'prod-T0ken-value-1a2b3c';
const TEST_TOKEN = 'test-T0ken-value-4d5e6f';
const PROD = 'https://public-eur.mkt.dynamics.com/api/v1.0/orgs/prod/eventmanagement/';
const TEST = 'https://public-eur.mkt.dynamics.com/api/v1.0/orgs/test/eventmanagement/';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env, { requireEventsApi: true });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('several environments in the configuration', () => {
  it('without ENVIRONMENTS the unprefixed variables are the one environment named default', () => {
    const c = loadConfig({ EVENTS_API_ENDPOINT: PROD, EVENTS_API_TOKEN: PROD_TOKEN, APPROVER_IDS: 'A1' });
    expect(c.environments).toEqual([
      {
        name: 'default',
        production: false,
        eventsApi: { endpoint: PROD, token: PROD_TOKEN, origin: undefined },
        approverIds: ['a1'],
        requireSecondApprover: false,
        dataverse: undefined,
      },
    ]);
  });

  it('reads each named environment from its prefixed variables, falling back to the unprefixed ones', () => {
    const c = loadConfig(
      {
        ENVIRONMENTS: 'Prod, test-eu',
        PROD_EVENTS_API_ENDPOINT: PROD,
        PROD_EVENTS_API_TOKEN: PROD_TOKEN,
        PROD_PRODUCTION: 'true',
        PROD_APPROVER_IDS: 'P1,P2',
        PROD_REQUIRE_SECOND_APPROVER: 'true',
        TEST_EU_EVENTS_API_ENDPOINT: TEST,
        EVENTS_API_TOKEN: TEST_TOKEN,
        APPROVER_IDS: 'X9',
      },
      { requireEventsApi: true },
    );
    expect(c.environments.map((e) => e.name)).toEqual(['prod', 'test-eu']);
    expect(c.environments[0]).toMatchObject({
      production: true,
      eventsApi: { endpoint: PROD, token: PROD_TOKEN },
      approverIds: ['p1', 'p2'],
      requireSecondApprover: true,
    });
    expect(c.environments[1]).toMatchObject({
      production: false,
      eventsApi: { endpoint: TEST, token: TEST_TOKEN },
      approverIds: ['x9'],
      requireSecondApprover: false,
    });
  });

  it('names every bad variable in one message, and never a value', () => {
    const message = problemsOf({
      ENVIRONMENTS: 'prod,test',
      PROD_EVENTS_API_ENDPOINT: 'not a url',
      PROD_EVENTS_API_TOKEN: PROD_TOKEN,
      PROD_PRODUCTION: 'maybe',
      TEST_EVENTS_API_ENDPOINT: TEST,
      TEST_REQUIRE_SECOND_APPROVER: 'perhaps',
    });
    expect(message).toContain('PROD_EVENTS_API_ENDPOINT');
    expect(message).toContain('PROD_PRODUCTION: expected true or false');
    expect(message).toContain('TEST_REQUIRE_SECOND_APPROVER: expected true or false');
    expect(message).toContain('TEST_EVENTS_API_TOKEN: required');
    expect(message).not.toContain(PROD_TOKEN);
    expect(message).not.toContain('not a url');
  });

  it('refuses bad names, repeated names and two environments on one endpoint', () => {
    expect(
      problemsOf({ ENVIRONMENTS: 'prod,te st', EVENTS_API_ENDPOINT: PROD, EVENTS_API_TOKEN: PROD_TOKEN }),
    ).toContain('ENVIRONMENTS: expected names');
    expect(
      problemsOf({ ENVIRONMENTS: 'prod,PROD', EVENTS_API_ENDPOINT: PROD, EVENTS_API_TOKEN: PROD_TOKEN }),
    ).toContain('ENVIRONMENTS: each name once');
    expect(
      problemsOf({ ENVIRONMENTS: 'prod,test', EVENTS_API_ENDPOINT: PROD, EVENTS_API_TOKEN: PROD_TOKEN }),
    ).toContain('TEST_EVENTS_API_ENDPOINT: the same endpoint as environment prod');
  });

  it('gives an environment its own Dataverse, sharing the sign-in, and names its variable when it is wrong', () => {
    const signIn = { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 'dv-secret-value' };
    const c = loadConfig({
      ENVIRONMENTS: 'prod,test',
      PROD_EVENTS_API_ENDPOINT: PROD,
      TEST_EVENTS_API_ENDPOINT: TEST,
      EVENTS_API_TOKEN: TEST_TOKEN,
      PROD_DATAVERSE_URL: 'https://contoso.crm4.dynamics.com',
      ...signIn,
    });
    expect(c.environments[0].dataverse?.url).toBe('https://contoso.crm4.dynamics.com');
    expect(c.environments[0].dataverse?.signIn).toMatchObject({ kind: 'client_secret', clientId: 'c' });
    expect(c.environments[1].dataverse).toBeUndefined();
    const message = problemsOf({
      ENVIRONMENTS: 'prod',
      PROD_EVENTS_API_ENDPOINT: PROD,
      PROD_EVENTS_API_TOKEN: PROD_TOKEN,
      PROD_DATAVERSE_URL: 'http://contoso.example.com/path',
      ...signIn,
    });
    expect(message).toContain('PROD_DATAVERSE_URL: expected the environment URL');
    expect(message).not.toContain('dv-secret-value');
  });
});
