import fc from 'fast-check';
import { environmentKey, joinEndpoint, redactUrl, scrubSecret } from '../../../src/events-api/urls';

const BASE = 'https://public-eur.mkt.dynamics.com/api/v1.0/orgs/abc/eventmanagement';

describe('joinEndpoint', () => {
  it.each([BASE, `${BASE}/`, `${BASE}//`, ` ${BASE}/ `])('joins %p and the path with one slash', (endpoint) => {
    expect(joinEndpoint(endpoint, 'obmMigration/status')).toBe(`${BASE}/obmMigration/status`);
    expect(joinEndpoint(endpoint, '/obmMigration/status')).toBe(`${BASE}/obmMigration/status`);
  });

  it('keeps a query pasted into the endpoint and drops a fragment', () => {
    expect(joinEndpoint(`${BASE}/?region=eu#top`, 'obmMigration/start')).toBe(`${BASE}/obmMigration/start?region=eu`);
  });

  const segment = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,11}$/);
  const endpoint = fc
    .record({
      host: fc.domain().map((d) => d.toLowerCase()),
      segments: fc.array(segment, { maxLength: 5 }),
      slashes: fc.integer({ min: 0, max: 3 }),
      query: fc.option(fc.stringMatching(/^[a-z]{1,5}=[a-z0-9]{0,5}$/), { nil: undefined }),
    })
    .map(({ host, segments, slashes, query }) => ({
      text: `https://${host}/${segments.join('/')}${'/'.repeat(slashes)}${query ? `?${query}` : ''}`,
      host,
      path: segments.join('/'),
      query,
    }));

  it('never doubles or drops the slash before obmMigration, whatever the endpoint', () => {
    fc.assert(
      fc.property(endpoint, fc.boolean(), (e, leadingSlash) => {
        const joined = joinEndpoint(e.text, `${leadingSlash ? '/' : ''}obmMigration/start`);
        const url = new URL(joined);
        expect(joined).not.toMatch(/\/\/obmMigration/);
        expect(joined).not.toMatch(/[^/]obmMigration/);
        expect(joined).toBe(
          `https://${e.host}${e.path ? `/${e.path}` : ''}/obmMigration/start${e.query ? `?${e.query}` : ''}`,
        );
        expect(url.pathname).toBe(`${e.path ? `/${e.path}` : ''}/obmMigration/start`);
        expect(url.search).toBe(e.query ? `?${e.query}` : '');
      }),
    );
  });

  it('gives the same URL with or without the trailing slash', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: false, withFragments: false }), (url) => {
        const bare = url.replace(/\/+$/, '');
        expect(joinEndpoint(`${bare}/`, 'obmMigration/status')).toBe(joinEndpoint(bare, 'obmMigration/status'));
      }),
    );
  });
});

describe('environmentKey', () => {
  it('is the same for case, trailing slash and query (the token) differences', () => {
    const key = environmentKey(`${BASE}/?emApplicationtoken=secret`);
    expect(key).toBe(environmentKey(BASE.toUpperCase().replace('HTTPS', 'https')));
    expect(key).toBe('https://public-eur.mkt.dynamics.com/api/v1.0/orgs/abc/eventmanagement');
    expect(key).not.toContain('secret');
  });

  it('differs between organisations', () => {
    expect(environmentKey(BASE)).not.toBe(environmentKey(BASE.replace('/abc/', '/def/')));
  });
});

describe('redactUrl and scrubSecret', () => {
  it('hides the token value wherever the parameter sits, whatever its case', () => {
    expect(redactUrl(`${BASE}/obmMigration/status?emApplicationtoken=s3cr%2Bt&x=1`)).toBe(
      `${BASE}/obmMigration/status?emApplicationtoken=***&x=1`,
    );
    expect(redactUrl(`${BASE}?a=1&EMAPPLICATIONTOKEN=abc`)).toBe(`${BASE}?a=1&EMAPPLICATIONTOKEN=***`);
  });

  it('removes a secret in raw and URL-encoded form', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4 }).filter((s) => !s.includes('*')),
        fc.string(),
        (secret, around) => {
          const text = `${around}${secret}|${encodeURIComponent(secret)}${around}`;
          expect(scrubSecret(text, secret)).not.toContain(secret);
        },
      ),
    );
  });
});
