import { simOptionsFromEnv } from '../../../src/sim/main';

describe('npm run sim configuration', () => {
  it('defaults to port 7071 and the dev token', () => {
    expect(simOptionsFromEnv({})).toEqual({
      options: expect.objectContaining({
        port: 7071,
        token: 'dev-token',
        variant: 'flat',
        outcome: 'completed',
        registrations: 300,
      }),
    });
  });

  it('reads every SIM_ variable', () => {
    const read = simOptionsFromEnv({
      SIM_PORT: '0',
      SIM_TOKEN: 't',
      SIM_REGISTRATIONS: '40',
      SIM_SPEED: '100',
      SIM_VARIANT: 'nested',
      SIM_OUTCOME: 'failed',
    });
    expect(read).toEqual({
      options: expect.objectContaining({
        port: 0,
        token: 't',
        registrations: 40,
        speed: 100,
        variant: 'nested',
        outcome: 'failed',
      }),
    });
  });

  it('refuses a port out of range', () => {
    expect(simOptionsFromEnv({ SIM_PORT: '70000' })).toEqual({
      problems: ['SIM_PORT must be a port number (0-65535).'],
    });
  });

  it('names each bad variable and what it expects', () => {
    const read = simOptionsFromEnv({ SIM_PORT: 'eighty', SIM_VARIANT: 'weird', SIM_OUTCOME: 'meh', SIM_SPEED: '-1' });
    expect('problems' in read && read.problems).toEqual([
      'SIM_PORT must be a number of at least 0 (got "eighty").',
      'SIM_VARIANT must be one of flat, nested, percent, strings, registrations, result, summary, odd.',
      'SIM_OUTCOME must be one of completed, completed_with_errors, failed.',
      'SIM_SPEED must be a number of at least 0 (got "-1").',
    ]);
  });
});
