import { cardText, chatText, codeSpan, mentionTag, oneLine } from '../../../src/words/escape';

describe('escaping for where the text goes', () => {
  it('one line: no line breaks, controls or bidi overrides', () => {
    expect(oneLine('a\nb\r\nc\u2028d')).toBe('a b c d');
    expect(oneLine('ab\u202Ecd\u2066e\u200Ff\u0007')).toBe('abcdef');
  });

  it('chat: links, emphasis, code and HTML are inert; ordinary sentences keep their look', () => {
    expect(chatText('[click](https://evil.example)')).toBe('\\[click\\](https://evil.example)');
    expect(chatText('**x** ~~y~~ `z`')).toBe('\\*\\*x\\*\\* \\~\\~y\\~\\~ \\`z\\`');
    expect(chatText('<a href="u">y</a>')).toBe('&lt;a href="u"&gt;y&lt;/a&gt;');
    expect(chatText('_it_ but EVENTS_API_TOKEN (401)')).toBe('\\_it\\_ but EVENTS_API_TOKEN (401)');
  });

  it('cards: the same, with a backslash before < (cards show entities as typed)', () => {
    expect(cardText('x</at> <at>y')).toBe('x\\</at> \\<at>y');
    expect(cardText('a -> b (c)')).toBe('a -> b (c)');
  });

  it('code spans cannot be closed from inside', () => {
    expect(codeSpan('a`[x](y)`b')).toBe("a'[x](y)'b");
  });

  it('a mention holds one name, with < > & as entities', () => {
    expect(mentionTag({ id: '1', name: 'x</at> <at>Someone else' })).toBe(
      '<at>x&lt;/at&gt; &lt;at&gt;Someone else</at>',
    );
    expect(mentionTag({ id: '1', name: 'A\nB' })).toBe('<at>A B</at>');
  });
});
