/**
 * URL handling for the Events API endpoint. Users paste the endpoint with or without its trailing slash,
 * sometimes with a query; the token travels in the query, so anything logged goes through `redactUrl`.
 */

import { maskSecret } from './secretMask';

export const TOKEN_PARAM = 'emApplicationtoken';

interface SplitUrl {
  base: string;
  query: string;
}

/** Separates "scheme://host/path" from "?query" (a fragment is never sent, so it is dropped). */
function split(url: string): SplitUrl {
  const withoutFragment = url.split('#', 1)[0];
  const q = withoutFragment.indexOf('?');
  return q < 0
    ? { base: withoutFragment, query: '' }
    : { base: withoutFragment.slice(0, q), query: withoutFragment.slice(q) };
}

/** `endpoint` + `/` + `path`, with exactly one slash between them and the endpoint's query kept. */
export function joinEndpoint(endpoint: string, path: string): string {
  const { base, query } = split(endpoint.trim());
  const left = base.replace(/\/+$/, '');
  const right = path.replace(/^\/+/, '');
  return `${left}/${right}${query}`;
}

/**
 * A stable key for "the same environment", for the one-migration-at-a-time rule: the endpoint without query,
 * fragment or trailing slash, lower-cased. Never contains the token (which travels in the query).
 */
export function environmentKey(endpoint: string): string {
  const { base } = split(endpoint.trim());
  try {
    const u = new URL(base);
    return `${u.origin}${u.pathname}`.replace(/\/+$/, '').toLowerCase();
  } catch {
    return base.replace(/\/+$/, '').toLowerCase();
  }
}

const TOKEN_IN_QUERY = new RegExp(`([?&]${TOKEN_PARAM}=)[^&#]*`, 'gi');

/** The URL with the token's value replaced by `***`, fit for a log line. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_IN_QUERY, '$1***');
}

/**
 * Masks a secret in a text in every form a service's answer can carry it (see maskSecret); a last line of
 * defence for anything that is stored, shown or logged.
 */
export function scrubSecret(text: string, secret: string): string {
  return maskSecret(text, secret);
}

/** The URL to call: the joined path with the token set as query parameter (replacing one pasted into the endpoint). */
export function withToken(url: string, token: string): string {
  const u = new URL(url);
  u.searchParams.set(TOKEN_PARAM, token);
  return u.toString();
}
