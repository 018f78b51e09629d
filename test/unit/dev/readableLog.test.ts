import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/logger';
import { readableLog } from '../../../scripts/readableLog';

/** What `npm run dev` prints for the bot's log: the production logger, written through the dev formatter. */
function devLog(): { logger: ReturnType<typeof createLogger>; lines: () => string[] } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const logger = createLogger('info', readableLog(out));
  return { logger, lines: () => text.split('\n').filter((l) => l.length > 0) };
}

const TIME_AND_LEVEL = /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] (INFO|WARN|ERROR): /;

describe('the dev log (npm run dev)', () => {
  it('prints one readable line a record, starting with the time and the level, not JSON', () => {
    const { logger, lines } = devLog();
    logger.info({ port: 3978, environment: 'org1' }, 'bot listening');
    logger.warn({ jobId: 'job-1' }, 'status read failed');
    expect(lines()).toHaveLength(2);
    for (const line of lines()) {
      expect(line).toMatch(TIME_AND_LEVEL);
      expect(() => JSON.parse(line)).toThrow();
    }
    expect(lines()[0]).toMatch(/INFO: bot listening .*"port":3978/);
    expect(lines()[1]).toMatch(/WARN: status read failed .*"jobId":"job-1"/);
  });

  it('starts an error record with the time and level too, and keeps secrets redacted', () => {
    const { logger, lines } = devLog();
    logger.error({ err: new Error('socket hang up'), token: 's3cret' }, 'sending the card failed');
    expect(lines()[0]).toMatch(TIME_AND_LEVEL);
    expect(lines()[0]).toContain('sending the card failed');
    expect(lines().join('\n')).toContain('socket hang up');
    expect(lines().join('\n')).not.toContain('s3cret');
  });

  it('leaves out the level below LOG_LEVEL', () => {
    const { logger, lines } = devLog();
    logger.debug('not shown');
    logger.info('shown');
    expect(lines()).toEqual([expect.stringMatching(/INFO: shown$/)]);
  });
});
