/**
 * A simulated Microsoft Entra token endpoint for the client-credentials flow, as @azure/identity (msal-node) uses it
 * with instance discovery off: `<host>/<tenant>/v2.0/.well-known/openid-configuration`, then a POST to its
 * `token_endpoint`. https when given a key and certificate (msal-node insists on an https authority), http otherwise.
 * Refusals carry Entra's AADSTS codes and words, never the secret that was sent.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { guarded, listen, readBody, urlHost } from '../httpServer';

export interface SimAppRegistration {
  tenantId: string;
  clientId: string;
  /** accepted client secret; a registration without one accepts any signed client assertion (a certificate) */
  clientSecret?: string;
}

export interface TokenServerOptions {
  host?: string;
  port?: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
  apps: SimAppRegistration[];
  /** each issued token is handed here (the simulated Dataverse accepts it) */
  onIssue: (token: string) => void;
  expiresInSec?: number;
}

export interface TokenServer {
  /** paste as AZURE_AUTHORITY_HOST */
  readonly authorityHost: string;
  readonly port: number;
  /** token requests answered, successful or not */
  readonly requests: { clientId: string; status: number }[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

function refusal(res: ServerResponse, status: number, error: string, description: string): void {
  json(res, status, {
    error,
    error_description: `${description}\r\nTrace ID: ${randomBytes(8).toString('hex')}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
  });
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: { clientId: string; status: number }[] = [];
  let base = '';

  function openIdConfiguration(tenant: string) {
    const authority = `${base}/${tenant}`;
    return {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    };
  }

  function token(res: ServerResponse, tenant: string, form: URLSearchParams): void {
    const clientId = form.get('client_id') ?? '';
    const answer = (status: number, fn: () => void) => {
      requests.push({ clientId, status });
      fn();
    };
    if (form.get('grant_type') !== 'client_credentials')
      return answer(400, () =>
        refusal(res, 400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.'),
      );
    const tenantApps = options.apps.filter((a) => a.tenantId.toLowerCase() === tenant.toLowerCase());
    if (tenantApps.length === 0)
      return answer(400, () => refusal(res, 400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`));
    const app = tenantApps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
    if (!app)
      return answer(400, () =>
        refusal(
          res,
          400,
          'unauthorized_client',
          `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
        ),
      );
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    const proven =
      app.clientSecret !== undefined
        ? secret === app.clientSecret
        : Boolean(assertion && assertion.split('.').length === 3);
    if (!proven)
      return answer(401, () =>
        refusal(
          res,
          401,
          'invalid_client',
          `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        ),
      );
    const issued = `sim-${randomBytes(24).toString('hex')}`;
    options.onIssue(issued);
    const expires = options.expiresInSec ?? 3599;
    answer(200, () =>
      json(res, 200, { token_type: 'Bearer', expires_in: expires, ext_expires_in: expires, access_token: issued }),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const body = await readBody(req);
    const config = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (config && req.method === 'GET') return json(res, 200, openIdConfiguration(config[1]));
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (tokenPath && req.method === 'POST') return token(res, tokenPath[1], new URLSearchParams(body));
    json(res, 404, { error: 'not_found', error_description: 'Not found.' });
  }

  const listener = guarded(handle);
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  const port = await listen(server, options.port, host);
  base = `${options.tls ? 'https' : 'http'}://${urlHost(host)}:${port}`;
  return {
    authorityHost: base,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
