import { parseCommand } from '../../../src/migration/commandParser';
import { Environments, type Environment } from '../../../src/migration/environments';
import type { Migrations } from '../../../src/migration/migrations';
import { invalidText } from '../../../src/words/catalogue';

const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';

describe('parseCommand: in <name> and use', () => {
  it('takes the environment last on the commands about one environment', () => {
    expect(parseCommand(`migrate ${FROM} ${TO} in Test`)).toEqual({
      kind: 'migrate',
      fromEventId: FROM,
      toEventId: TO,
      environment: 'test',
    });
    expect(parseCommand('status in prod')).toEqual({ kind: 'status', environment: 'prod' });
    expect(parseCommand('history IN test-eu')).toEqual({ kind: 'history', environment: 'test-eu' });
    expect(parseCommand('check in test')).toEqual({ kind: 'check', environment: 'test' });
    expect(parseCommand('missing in test')).toEqual({ kind: 'missing', environment: 'test' });
    expect(parseCommand(`missing ${FROM} in test`)).toEqual({ kind: 'missing', jobId: FROM, environment: 'test' });
  });

  it('leaves the commands without it as they were', () => {
    expect(parseCommand('status')).toEqual({ kind: 'status' });
    expect(parseCommand(`migrate ${FROM} ${TO}`)).toEqual({ kind: 'migrate', fromEventId: FROM, toEventId: TO });
    expect(parseCommand('status in')).toMatchObject({ kind: 'invalid', command: 'status' });
    expect(parseCommand(`migrate ${FROM} in test`)).toMatchObject({ kind: 'invalid', problem: { kind: 'no_target' } });
  });

  it('reads use with one name or none', () => {
    expect(parseCommand('use Prod')).toEqual({ kind: 'use', environment: 'prod' });
    expect(parseCommand('use')).toEqual({ kind: 'use' });
    const two = parseCommand('use prod test');
    expect(two).toMatchObject({ kind: 'invalid', command: 'use' });
    if (two.kind === 'invalid') expect(invalidText(two)).toMatch(/`use` takes one environment name/);
  });
});

describe('Environments: which one a command is for', () => {
  const env = (name: string): Environment => ({
    name,
    key: `https://x/${name}`,
    production: name === 'prod',
    rules: { approverIds: [], requireSecondApprover: false },
    migrations: {} as Migrations,
    setupCheck: { run: async () => ({}) as never },
  });
  const memory = () => {
    const m = new Map<string, string>();
    return {
      getConversationEnvironment: async (k: string) => m.get(k),
      setConversationEnvironment: async (k: string, v: string) => void m.set(k, v),
    };
  };

  it('with one environment nothing needs naming, and nothing is marked', async () => {
    const one = new Environments([env('default')], memory());
    expect(await one.choose(undefined, 'c')).toMatchObject({ kind: 'chosen', environment: { name: 'default' } });
    expect(one.markOf({ environment: 'https://x/default' })).toBeUndefined();
  });

  it('with several: the named one, else the conversation default, else the list', async () => {
    const both = new Environments([env('prod'), env('test')], memory());
    expect(await both.choose(undefined, 'c')).toEqual({ kind: 'unnamed', known: ['prod', 'test'] });
    expect(await both.choose('nope', 'c')).toEqual({ kind: 'unknown', name: 'nope', known: ['prod', 'test'] });
    expect(await both.use('nope', 'c')).toMatchObject({ kind: 'unknown' });
    expect(await both.use('TEST', 'c')).toMatchObject({ kind: 'chosen' });
    expect(await both.choose(undefined, 'c')).toMatchObject({ environment: { name: 'test' } });
    expect(await both.choose('prod', 'c')).toMatchObject({ environment: { name: 'prod' } });
    expect(both.markOf({ environment: 'https://x/prod' })).toEqual({ name: 'prod', production: true });
  });
});
