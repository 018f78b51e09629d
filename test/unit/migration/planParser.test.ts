import { MAX_PLAN_PAIRS, messageLines, parseCommand } from '../../../src/migration/commandParser';
import { invalidText } from '../../../src/words/catalogue';

const id = (n: number, side: 1 | 2) => `${String(n).repeat(8)}-${side === 1 ? '1111' : '2222'}-4111-8111-111111111111`;
const pair = (n: number) => `${id(n, 1)} ${id(n, 2)}`;
const idPair = (n: number, line: number) => ({
  line,
  from: { kind: 'id', id: id(n, 1) },
  to: { kind: 'id', id: id(n, 2) },
});

describe('a plan: migrate on the first line, one pair a line', () => {
  it.each([
    ['newlines', `migrate\n${pair(1)}\n${pair(2)}\n${pair(3)}`],
    ['CRLF and blank lines', `migrate\r\n\r\n${pair(1)}\r\n${pair(2)}\r\n${pair(3)}\r\n`],
    ['<br>', `migrate<br>${pair(1)}<br/>${pair(2)}<br />${pair(3)}`],
    ['<p> paragraphs', `<p>migrate</p><p>${pair(1)}</p><p>${pair(2)}</p><p>${pair(3)}</p>`],
    [
      '<div> lines with &nbsp;',
      `<div>migrate&nbsp;</div><div>${id(1, 1)}&nbsp;${id(1, 2)}</div><div>${pair(2)}</div><div>${pair(3)}</div>`,
    ],
  ])('reads the pairs in order from %s', (_how, text) => {
    expect(parseCommand(text)).toEqual({ kind: 'migrate_plan', pairs: [idPair(1, 2), idPair(2, 3), idPair(3, 4)] });
  });

  it('takes the environment on the first line, and tolerates migrate repeated on a pair line', () => {
    expect(parseCommand(`migrate in Test\nmigrate ${pair(1)}\n${pair(2)}`)).toEqual({
      kind: 'migrate_plan',
      pairs: [idPair(1, 2), idPair(2, 3)],
      environment: 'test',
    });
  });

  it('reads quoted names and GUIDs mixed, as a single migrate does', () => {
    expect(parseCommand(`migrate\n"Spring Gala" "Spring Gala RT"\n${id(2, 1)} "Roadshow"`)).toEqual({
      kind: 'migrate_plan',
      pairs: [
        { line: 2, from: { kind: 'name', name: 'Spring Gala' }, to: { kind: 'name', name: 'Spring Gala RT' } },
        { line: 3, from: { kind: 'id', id: id(2, 1) }, to: { kind: 'name', name: 'Roadshow' } },
      ],
    });
  });

  it('one pair below migrate is a plain migrate of that pair', () => {
    expect(parseCommand(`migrate\n${pair(1)}`)).toEqual({
      kind: 'migrate',
      fromEventId: id(1, 1),
      toEventId: id(1, 2),
    });
    expect(parseCommand(`migrate in test<br>${pair(1)}`)).toEqual({
      kind: 'migrate',
      fromEventId: id(1, 1),
      toEventId: id(1, 2),
      environment: 'test',
    });
  });

  it('keeps every single-line form as it was, a pair split by <br> included', () => {
    expect(parseCommand(`migrate ${id(1, 1)}<br>${id(1, 2)}`)).toEqual({
      kind: 'migrate',
      fromEventId: id(1, 1),
      toEventId: id(1, 2),
    });
    expect(parseCommand(`status<br>in test`)).toEqual({ kind: 'status', environment: 'test' });
    expect(parseCommand('migrate')).toMatchObject({ kind: 'invalid', problem: { kind: 'no_ids' } });
  });

  it('names the line and what is wrong with it', () => {
    const bad = parseCommand(`migrate\n${pair(1)}\n${id(2, 1)} not-a-guid\n${pair(3)}`);
    expect(bad).toEqual({
      kind: 'invalid',
      command: 'migrate',
      problem: { kind: 'plan_line', line: 3, problem: { kind: 'not_a_guid', which: 'real-time', value: 'not-a-guid' } },
    });
    const text = invalidText(bad as Extract<typeof bad, { kind: 'invalid' }>);
    expect(text).toMatch(
      /^Line 3 of the plan: The real-time event id "not-a-guid" is not a GUID\. Nothing was stored\./,
    );
    expect(text.match(/Usage/g)).toBeNull();
  });

  it.each([
    ['a lone id', `migrate\n${pair(1)}\n${id(2, 1)}`, 3, 'no_target'],
    ['three ids', `migrate\n${pair(1)} ${id(4, 1)}\n${pair(2)}`, 2, 'too_many'],
    ['the same id twice', `migrate\n${pair(1)}\n${id(2, 1)} ${id(2, 1)}`, 3, 'same_id'],
    ['an environment on a pair line', `migrate\n${pair(1)}\n${pair(2)} in test`, 3, 'environment_on_line'],
    ['new as a target', `migrate\n${pair(1)}\n${id(2, 1)} new`, 3, 'new_in_plan'],
    ['a repeated outbound event', `migrate\n${pair(1)}\n${pair(2)}\n${id(1, 1)} ${id(3, 2)}`, 4, 'repeated_source'],
    ['an unclosed quote', `migrate\n${pair(1)}\n"Gala ${id(2, 2)}`, 3, 'unclosed_quote'],
  ])('answers %s with its line', (_what, text, line, kind) => {
    const parsed = parseCommand(text);
    expect(parsed).toMatchObject({ kind: 'invalid', problem: { kind: 'plan_line', line, problem: { kind } } });
    expect(invalidText(parsed as Extract<typeof parsed, { kind: 'invalid' }>)).toMatch(
      new RegExp(`^Line ${line} of the plan: `),
    );
  });

  it(`holds at most ${MAX_PLAN_PAIRS} pairs`, () => {
    const lines = Array.from(
      { length: MAX_PLAN_PAIRS + 1 },
      (_, i) => `${id((i % 9) + 1, 1).slice(0, 30)}${String(i).padStart(6, '0')} ${id(1, 2)}`,
    );
    const parsed = parseCommand(['migrate', ...lines].join('\n'));
    expect(parsed).toMatchObject({ kind: 'invalid', problem: { kind: 'plan_too_long', count: 26, max: 25 } });
    expect(invalidText(parsed as Extract<typeof parsed, { kind: 'invalid' }>)).toMatch(/at most 25 pairs \(got 26\)/);
    const most = parseCommand(['migrate', ...lines.slice(0, MAX_PLAN_PAIRS)].join('\n'));
    expect(most).toMatchObject({ kind: 'migrate_plan' });
    expect((most as { pairs: unknown[] }).pairs).toHaveLength(25);
  });

  it('splits lines before flattening tags', () => {
    expect(messageLines('<p>migrate</p><p>a&nbsp; b</p>\n<br>c')).toEqual(['migrate', 'a b', 'c']);
  });
});
