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

  it('reads postgres:// and postgresql:// URLs, with a form to log that has no password', () => {
    expect(parseDatabaseUrl('postgres://bot:s3cret@db.example:6432/botdb?sslmode=require')).toEqual({
      kind: 'postgres',
      url: 'postgres://bot:s3cret@db.example:6432/botdb?sslmode=require',
      display: 'postgres://db.example:6432/botdb (sslmode=require)',
    });
    expect(parseDatabaseUrl('postgresql://bot@db.example/botdb')).toMatchObject({
      kind: 'postgres',
      display: 'postgres://db.example/botdb',
    });
  });

  it.each(['mysql://x', './data/bot.db', '', 'sqlite:', 'postgres://'])(
    'refuses %p with a message that says what is expected',
    (url) => {
      expect(() => parseDatabaseUrl(url)).toThrow(
        'DATABASE_URL must look like sqlite:./data/bot.db or postgres://user:password@host:5432/database',
      );
    },
  );

  it('refuses an sslmode it does not know, without repeating the URL', () => {
    expect(() => parseDatabaseUrl('postgres://bot:s3cret@db.example/bot?sslmode=sometimes')).toThrow(
      /sslmode must be one of disable, .*verify-full/,
    );
  });

  it('never repeats a password from the URL when the database cannot be reached', async () => {
    const opening = openStore('postgres://bot:s3cret@127.0.0.1:1/bot');
    await expect(opening).rejects.toThrow('cannot open the PostgreSQL database');
    await expect(opening).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});
