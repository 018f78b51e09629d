import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../../src/cards/packageRoot';
import { CARD_VERBS, isCardVerb } from '../../../src/teams/routes';

/** Every button on every card reaches a handler: a verb used in cards/*.json without a route would be a dead button. */

function verbsIn(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => verbsIn(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'verb' && typeof value === 'string') found.add(value);
      else verbsIn(value, found);
    }
  }
  return found;
}

describe('card verbs', () => {
  const dir = path.join(packageRoot(), 'cards');
  const templates = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  const used = new Set<string>();
  for (const file of templates) verbsIn(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), used);

  it('the templates use verbs at all (the scan reads them)', () => {
    expect(templates.length).toBeGreaterThanOrEqual(5);
    expect(used).toContain('approve');
  });

  it.each([...used])('"%s" has a route', (verb) => {
    expect(isCardVerb(verb)).toBe(true);
  });

  it('has no route for a verb no card uses', () => {
    expect([...CARD_VERBS].sort()).toEqual([...used].sort());
  });
});
