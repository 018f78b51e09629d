import fc from 'fast-check';
import { cleanText, parseCommand } from '../../../src/migration/commandParser';
import { invalidText } from '../../../src/words/catalogue';

const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';

describe('parseCommand: migrate', () => {
  it('reads two GUIDs into a migrate command', () => {
    expect(parseCommand(`migrate ${FROM} ${TO}`)).toEqual({ kind: 'migrate', fromEventId: FROM, toEventId: TO });
  });

  it('accepts braces and upper case and normalises to bare lower case', () => {
    expect(parseCommand(`migrate {${FROM.toUpperCase()}} {${TO}}`)).toEqual({
      kind: 'migrate',
      fromEventId: FROM,
      toEventId: TO,
    });
  });

  it('reads the command word in any case, with a leading slash', () => {
    expect(parseCommand(`MiGrAtE ${FROM} ${TO}`).kind).toBe('migrate');
    expect(parseCommand(`/migrate ${FROM} ${TO}`).kind).toBe('migrate');
  });

  it('tolerates the mention, &nbsp;, line breaks, HTML and extra spaces', () => {
    const text = `<at>Migration Bot</at>&nbsp;<p>migrate</p>&nbsp;&nbsp;${FROM}<br/>\n\t ${TO}&nbsp;</p>`;
    expect(parseCommand(text)).toEqual({ kind: 'migrate', fromEventId: FROM, toEventId: TO });
  });

  it('names a value that is not a GUID', () => {
    const c = parseCommand(`migrate 12345 ${TO}`);
    expect(c).toMatchObject({ kind: 'invalid', command: 'migrate' });
    expect(c.kind === 'invalid' && invalidText(c)).toMatch(/outbound event id "12345" is not a GUID/);
    const d = parseCommand(`migrate ${FROM} not-a-guid`);
    expect(d.kind === 'invalid' && invalidText(d)).toMatch(/real-time event id "not-a-guid" is not a GUID/);
  });

  it('refuses the same id twice, even written differently', () => {
    const c = parseCommand(`migrate ${FROM} {${FROM.toUpperCase()}}`);
    expect(c.kind === 'invalid' && invalidText(c)).toMatch(new RegExp(`same id was given twice \\(${FROM}\\)`));
  });

  it('says which id is missing', () => {
    const none = parseCommand('migrate');
    expect(none.kind === 'invalid' && invalidText(none)).toMatch(/Both event ids are missing/);
    const one = parseCommand(`migrate ${FROM}`);
    expect(one.kind === 'invalid' && invalidText(one)).toMatch(/real-time event id is missing/);
  });

  it('refuses extra words and names them', () => {
    const c = parseCommand(`migrate ${FROM} ${TO} please now`);
    expect(c.kind === 'invalid' && invalidText(c)).toMatch(/Too many words.*"please now" is extra/);
  });

  it('clips a pasted essay instead of echoing it whole', () => {
    const essay = 'x'.repeat(500);
    const c = parseCommand(`migrate ${essay} ${TO}`);
    expect(c.kind === 'invalid' && invalidText(c).length).toBeLessThan(250);
  });
});

describe('parseCommand: other words', () => {
  it('reads status, history and help in any case', () => {
    expect(parseCommand('STATUS')).toEqual({ kind: 'status' });
    expect(parseCommand('History')).toEqual({ kind: 'history' });
    expect(parseCommand('help')).toEqual({ kind: 'help' });
    expect(parseCommand('   ')).toEqual({ kind: 'help' });
  });

  it('answers an unknown word with help naming it', () => {
    expect(parseCommand('deploy everything')).toEqual({ kind: 'help', unknownWord: 'deploy' });
  });

  it('refuses arguments to status and history', () => {
    const c = parseCommand('status now');
    expect(c).toMatchObject({ kind: 'invalid', command: 'status' });
    expect(c.kind === 'invalid' && invalidText(c)).toMatch(/takes no arguments.*"now"/);
  });
});

describe('cleanText', () => {
  it('decodes entities and collapses every kind of space', () => {
    expect(cleanText('a&nbsp;&amp;\u00a0b\u200b\r\n c')).toBe('a & b c');
  });
});

describe('parseCommand never throws', () => {
  it('returns a command for any text', () => {
    const words = fc.constantFrom(
      'migrate',
      'status',
      'history',
      'help',
      '&nbsp;',
      '<br>',
      '<at>Bot</at>',
      '{',
      '}',
      FROM,
      TO.toUpperCase(),
      '\n',
    );
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(fc.oneof(words, fc.string()), { maxLength: 8 }).map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const c = parseCommand(t);
        expect(['migrate', 'status', 'history', 'help', 'invalid']).toContain(c.kind);
        if (c.kind === 'migrate') {
          expect(c.fromEventId).toMatch(/^[0-9a-f-]{36}$/);
          expect(c.fromEventId).not.toBe(c.toEventId);
        }
      }),
      { numRuns: 500 },
    );
  });
});
