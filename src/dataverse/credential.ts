/**
 * The bot's sign-in to Dataverse through @azure/identity: one credential per process (it caches and refreshes the
 * token itself), and sign-in failures turned into a sentence that never carries the secret.
 */
import {
  AuthenticationError,
  ClientCertificateCredential,
  ClientSecretCredential,
  CredentialUnavailableError,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { DataverseConfig } from '../dataverseConfig';
import { DataverseError, scrub, shortText } from './errors';

export type { TokenCredential } from '@azure/identity';

export function createCredential(config: DataverseConfig): TokenCredential {
  const { signIn } = config;
  const common = {
    ...(config.authorityHost ? { authorityHost: config.authorityHost } : {}),
    disableInstanceDiscovery: config.disableInstanceDiscovery,
  };
  switch (signIn.kind) {
    case 'client_secret':
      return new ClientSecretCredential(signIn.tenantId, signIn.clientId, signIn.clientSecret, common);
    case 'client_certificate':
      return new ClientCertificateCredential(
        signIn.tenantId,
        signIn.clientId,
        { certificatePath: signIn.certificatePath },
        common,
      );
    case 'managed_identity':
      return new ManagedIdentityCredential({ clientId: signIn.clientId });
  }
}

/** The secrets a message must never contain. */
export function secretsOf(config: DataverseConfig): string[] {
  return config.signIn.kind === 'client_secret' ? [config.signIn.clientSecret] : [];
}

/** The scope of a token for this environment's Web API. */
export function scopeFor(dataverseUrl: string): string {
  return `${dataverseUrl.replace(/\/+$/, '')}/.default`;
}

/** Entra's own first sentence with its code ("AADSTS7000215: Invalid client secret provided."), when there is one. */
function aadstsSentence(text: string): string | undefined {
  return /AADSTS\d+:.*?\.(?=\s|$)/.exec(text)?.[0];
}

/** The Entra error's own first sentence (AADSTS code and words), or the library's message. */
function signInReason(error: unknown): string {
  const said = aadstsSentence(error instanceof Error ? error.message : String(error));
  if (said) return shortText(said, 240);
  if (error instanceof AuthenticationError) {
    const description = error.errorResponse?.errorDescription?.split(/\r?\n/)[0];
    return shortText(description || error.errorResponse?.error || error.message, 240);
  }
  if (error instanceof CredentialUnavailableError) return shortText(error.message.split(/\r?\n/)[0], 240);
  return shortText(error instanceof Error ? error.message.split(/\r?\n/)[0] : String(error), 240);
}

export function signInError(error: unknown, secrets: readonly string[]): DataverseError {
  const reason = scrub(signInReason(error), secrets);
  return new DataverseError(
    'sign_in',
    `The bot could not sign in to Dataverse: ${reason} Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret or certificate (or the bot's own app registration).`,
  );
}
