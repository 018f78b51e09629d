import fc from 'fast-check';
import { maskSecret } from '../../../src/events-api/secretMask';

const TOKEN = 'SECRET+TOKEN/abc=def-0123456789xyz';

describe('maskSecret', () => {
  it.each([
    ['as is', `token ${TOKEN} refused`],
    ['JSON-escaped', `"token ${TOKEN.replace('+', '\\u002b').replace('/', '\\/')}"`],
    [
      'percent-encoded, lower-case hex',
      `t=${encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
    ],
    ['percent-encoded, upper-case hex', `t=${encodeURIComponent(TOKEN)}`],
    ['base64', Buffer.from(TOKEN).toString('base64')],
    ['base64url', Buffer.from(TOKEN).toString('base64url')],
    ['base64 of a longer value', Buffer.from(`user:${TOKEN}`).toString('base64')],
    ['as an HTML reference', TOKEN.replace('+', '&#43;').replace('/', '&#x2f;')],
    ['its first 16 characters', `starts ${TOKEN.slice(0, 16)}…`],
    ['its last 16 characters', `ends …${TOKEN.slice(-16)}`],
  ])('masks the token %s', (_what, text) => {
    const masked = maskSecret(text, TOKEN);
    expect(masked).toContain('***');
    const plain = decodeURIComponent(
      masked
        .replace(/\\u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
        .replace(/%(?![0-9a-f]{2})/gi, '%25'),
    );
    for (let k = 0; k + 16 <= TOKEN.length; k++) expect(plain).not.toContain(TOKEN.slice(k, k + 16));
  });

  it('keeps JSON a parseable JSON', () => {
    const body = JSON.stringify({ message: `bad ${TOKEN}`, code: 401 }).replace('+', '\\u002B');
    expect(JSON.parse(maskSecret(body, TOKEN))).toEqual({ message: 'bad ***', code: 401 });
  });

  it('leaves text without the token as it was (short runs of it included)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const safe = text.replace(/SECRET/g, '');
        expect(maskSecret(`${safe} ${TOKEN.slice(0, 10)}`, TOKEN)).toBe(`${safe} ${TOKEN.slice(0, 10)}`);
      }),
    );
  });

  it('never leaves a 16-character run of a random token in any text around it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 16, maxLength: 64 }), fc.string(), fc.string(), (token, before, after) => {
        const masked = maskSecret(`${before}${token}${after}`, token);
        const run = token.slice(0, 16);
        expect(masked.includes(run) && !`${before}***${after}`.includes(run)).toBe(false);
      }),
    );
  });
});
