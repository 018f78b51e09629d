import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/cards/packageRoot';

/** The layers' one direction, read from the imports: the domain knows no I/O library, card or sentence. */

const src = path.join(packageRoot(), 'src');

function importsOf(folder: string): Array<{ file: string; from: string }> {
  const found: Array<{ file: string; from: string }> = [];
  for (const entry of fs.readdirSync(path.join(src, folder), { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const text = fs.readFileSync(path.join(src, folder, entry), 'utf8');
    for (const m of text.matchAll(/from '([^']+)'/g)) found.push({ file: path.join(folder, entry), from: m[1] });
  }
  return found;
}

describe('layers', () => {
  it('src/migration imports no botbuilder, restify, undici, database driver, card view, wording or Teams code', () => {
    const forbidden = /^(botbuilder|restify|undici|better-sqlite3|pg)$|\/(teams|store|events-api|cards|words)\//;
    const imports = importsOf('migration');
    expect(imports.length).toBeGreaterThan(20);
    expect(imports.filter((i) => forbidden.test(i.from))).toEqual([]);
  });

  it('src/teams reaches the domain through its operations, not the tracker, dispatcher or store', () => {
    const internals = /migration\/(tracker|notificationDispatcher|turnDecisions|jobStarter)$|\/store\//;
    expect(importsOf('teams').filter((i) => internals.test(i.from))).toEqual([]);
  });

  it('the views and the catalogue know nothing of Teams', () => {
    const teams = /^botbuilder|\/teams\//;
    expect([...importsOf('cards'), ...importsOf('words')].filter((i) => teams.test(i.from))).toEqual([]);
  });
});
