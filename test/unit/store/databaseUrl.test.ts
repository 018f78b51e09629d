import path from 'node:path';
import { parseDatabaseUrl } from '../../../src/store/databaseUrl';
import { openStore } from '../../../src/store/openStore';

describe('DATABASE_URL', () => {
  it('reads sqlite paths relative to the working folder, and the in-memory form', () => {
    expect(parseDatabaseUrl('sqlite:./data/bot.db', '/srv/bot')).toEqual({
      kind: 'sqlite',
      file: path.resolve('/srv/bot', 'data/bot.db'),
    });
    expect(parseDatabaseUrl('sqlite:/var/lib/bot.db', '/srv/bot')).toEqual({ kind: 'sqlite', file: '/var/lib/bot.db' });
    expect(parseDatabaseUrl('SQLITE:bot.db', '/srv')).toEqual({ kind: 'sqlite', file: '/srv/bot.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite-memory' });
  });

  it.each(['postgres://bot:s3cret@db.example/bot', 'mysql://x', './data/bot.db', '', 'sqlite:'])(
    'refuses %p with a message that says what is expected',
    (url) => {
      expect(() => parseDatabaseUrl(url)).toThrow(
        'DATABASE_URL must look like sqlite:./data/bot.db; postgres is not supported yet',
      );
    },
  );

  it('never repeats a password from the URL', async () => {
    await expect(openStore('postgres://bot:s3cret@db.example/bot')).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
    await expect(openStore('postgres://bot:s3cret@db.example/bot')).rejects.toThrow('postgres is not supported yet');
  });
});
