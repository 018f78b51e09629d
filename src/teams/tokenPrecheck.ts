/**
 * What can be said about a Bot Framework token without its signing keys. Tokens that fail here (not a JWT,
 * `alg: none` or any algorithm Bot Framework does not sign with, no key id, expired) are refused at once, so
 * they never wait for, or cause, a fetch of Microsoft's OpenID metadata.
 */

const SIGNING_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);
/** botframework-connector accepts five minutes of clock skew; so does this check */
const CLOCK_SKEW_MS = 5 * 60_000;

export function tokenPrecheckProblem(authHeader: string, nowMs: number): string | undefined {
  const match = /^bearer\s+(\S+)$/i.exec(authHeader.trim());
  if (!match) return 'not a bearer token';
  const parts = match[1].split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return 'not a signed JWT';
  const header = decodePart(parts[0]);
  const payload = decodePart(parts[1]);
  if (!header || !payload) return 'not a signed JWT';
  if (typeof header.alg !== 'string' || !SIGNING_ALGORITHMS.has(header.alg)) return 'unsupported algorithm';
  if (typeof header.kid !== 'string' || header.kid === '') return 'no key id';
  if (typeof payload.iss !== 'string') return 'no issuer';
  if (typeof payload.exp !== 'number' || payload.exp * 1000 + CLOCK_SKEW_MS < nowMs) return 'expired';
  if (typeof payload.nbf === 'number' && payload.nbf * 1000 - CLOCK_SKEW_MS > nowMs) return 'not valid yet';
  return undefined;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
