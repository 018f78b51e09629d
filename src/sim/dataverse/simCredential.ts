/**
 * A TokenCredential for the local stack: client credentials posted to the simulated token server over plain http.
 * `npm run dev` uses it because @azure/identity accepts only an https authority, and a process cannot trust a new
 * certificate after it started; tests of the real sign-in use @azure/identity against the https token server.
 */
import { request } from 'undici';
import type { AccessToken, TokenCredential } from '@azure/identity';

export function simCredential(
  authorityHost: string,
  tenantId: string,
  clientId: string,
  clientSecret: string,
): TokenCredential {
  let cached: AccessToken | undefined;
  return {
    async getToken(scopes): Promise<AccessToken> {
      if (cached && cached.expiresOnTimestamp > Date.now() + 60_000) return cached;
      const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
      const res = await request(`${authorityHost}/${tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope,
        }).toString(),
      });
      const body = (await res.body.json()) as {
        access_token?: string;
        expires_in?: number;
        error_description?: string;
      };
      if (res.statusCode !== 200 || !body.access_token)
        throw new Error(body.error_description?.split(/\r?\n/)[0] ?? `the token server answered ${res.statusCode}`);
      cached = { token: body.access_token, expiresOnTimestamp: Date.now() + (body.expires_in ?? 3599) * 1000 };
      return cached;
    },
  };
}
