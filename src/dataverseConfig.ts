import { existsSync } from 'node:fs';

/**
 * The Dataverse half of the configuration: where the environment is and how the bot signs in to it. Kept apart
 * from config.ts because it has its own rules (the Azure SDK's variable conventions, and a fallback to the bot's own
 * app registration). Off when DATAVERSE_URL is empty: then no AZURE_* variable is even looked at.
 */

/** How the bot signs in to Dataverse; `from` says which variables it came from, for `check` and the log. */
export type DataverseSignIn =
  | { kind: 'client_secret'; tenantId: string; clientId: string; clientSecret: string; from: 'azure' | 'bot' }
  | { kind: 'client_certificate'; tenantId: string; clientId: string; certificatePath: string; from: 'azure' }
  | { kind: 'managed_identity'; clientId: string; from: 'azure' | 'bot' };

export interface DataverseConfig {
  /** the environment's URL without a trailing slash, such as https://contoso.crm4.dynamics.com */
  url: string;
  signIn: DataverseSignIn;
  /** AZURE_AUTHORITY_HOST when given (the library's default is https://login.microsoftonline.com) */
  authorityHost?: string;
  /** true when the authority is not a Microsoft cloud (a local token server in tests), which has no discovery */
  disableInstanceDiscovery: boolean;
}

type Env = Record<string, string | undefined>;

/** The public Microsoft clouds' sign-in hosts; anything else is treated as a private (test) authority. */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

function readUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** https, or http on loopback (the simulator); the origin only, since the bot appends /api/data/v9.2/ itself. */
function dataverseUrl(raw: string, problems: string[]): string | undefined {
  const u = readUrl(raw);
  const origin = u && (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname)));
  if (!u || !origin || (u.pathname !== '/' && u.pathname !== '') || u.search || u.username) {
    problems.push(
      'DATAVERSE_URL: expected the environment URL such as https://contoso.crm4.dynamics.com (https, no path)',
    );
    return undefined;
  }
  return u.origin;
}

function authorityHost(raw: string | undefined, problems: string[]): { host?: string; discovery: boolean } {
  if (!raw) return { discovery: true };
  const u = readUrl(raw);
  if (!u || u.protocol !== 'https:' || (u.pathname !== '/' && u.pathname !== '')) {
    problems.push('AZURE_AUTHORITY_HOST: expected an https URL such as https://login.microsoftonline.com');
    return { discovery: true };
  }
  return { host: u.origin, discovery: MICROSOFT_AUTHORITY_HOSTS.has(u.hostname.toLowerCase()) };
}

function fromAzureVariables(env: Env, problems: string[]): DataverseSignIn | undefined {
  const tenantId = value(env, 'AZURE_TENANT_ID');
  const clientId = value(env, 'AZURE_CLIENT_ID');
  const clientSecret = value(env, 'AZURE_CLIENT_SECRET');
  const certificatePath = value(env, 'AZURE_CLIENT_CERTIFICATE_PATH');
  if (clientSecret && certificatePath) {
    problems.push('AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH: give one of them, not both');
    return undefined;
  }
  if (!clientId) {
    problems.push('AZURE_CLIENT_ID: required when another AZURE_* sign-in variable is set');
    return undefined;
  }
  if (!tenantId && !clientSecret && !certificatePath) return { kind: 'managed_identity', clientId, from: 'azure' };
  if (!tenantId) {
    problems.push('AZURE_TENANT_ID: required with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH');
    return undefined;
  }
  if (clientSecret) return { kind: 'client_secret', tenantId, clientId, clientSecret, from: 'azure' };
  if (certificatePath) {
    if (!existsSync(certificatePath)) {
      problems.push('AZURE_CLIENT_CERTIFICATE_PATH: no file there (expected a PEM file with the key and certificate)');
      return undefined;
    }
    return { kind: 'client_certificate', tenantId, clientId, certificatePath, from: 'azure' };
  }
  problems.push(
    'AZURE_CLIENT_SECRET: required with AZURE_TENANT_ID (or AZURE_CLIENT_CERTIFICATE_PATH; AZURE_CLIENT_ID alone means a managed identity)',
  );
  return undefined;
}

/** No AZURE_* at all: the bot's own app registration signs in to Dataverse too. */
function fromBotIdentity(env: Env, problems: string[]): DataverseSignIn | undefined {
  const appId = value(env, 'MicrosoftAppId');
  if (!appId) {
    problems.push(
      'DATAVERSE_URL: set, but there is no way to sign in (set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or the bot identity MicrosoftAppId)',
    );
    return undefined;
  }
  if (value(env, 'MicrosoftAppType') === 'UserAssignedMSI')
    return { kind: 'managed_identity', clientId: appId, from: 'bot' };
  const secret = value(env, 'MicrosoftAppPassword');
  const tenantId = value(env, 'MicrosoftAppTenantId');
  if (!tenantId) {
    problems.push(
      'MicrosoftAppTenantId: required to sign in to Dataverse with the bot identity (or set AZURE_TENANT_ID)',
    );
    return undefined;
  }
  // A missing MicrosoftAppPassword is already reported by the bot's own rules.
  if (!secret) return undefined;
  return { kind: 'client_secret', tenantId, clientId: appId, clientSecret: secret, from: 'bot' };
}

const AZURE_SIGN_IN = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH'];

/** undefined when DATAVERSE_URL is empty (Dataverse off) or when something is wrong (then `problems` says what). */
export function readDataverseConfig(env: Env, problems: string[]): DataverseConfig | undefined {
  const raw = value(env, 'DATAVERSE_URL');
  if (!raw) return undefined;
  const before = problems.length;
  const url = dataverseUrl(raw, problems);
  const authority = authorityHost(value(env, 'AZURE_AUTHORITY_HOST'), problems);
  const anyAzure = AZURE_SIGN_IN.some((name) => value(env, name));
  const signIn = anyAzure ? fromAzureVariables(env, problems) : fromBotIdentity(env, problems);
  if (!url || !signIn || problems.length > before) return undefined;
  return {
    url,
    signIn,
    authorityHost: authority.host,
    disableInstanceDiscovery: !authority.discovery,
  };
}
