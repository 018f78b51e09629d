/**
 * Dataverse failures as errors whose message is a sentence a user can act on. The body Dataverse sends,
 * `{"error": {"code": "0x8004...", "message": "..."}}`, gives the words; the status gives the kind.
 */
import type { ReadFailureKind } from '../migration/dataverseFacts';

export type DataverseErrorKind = ReadFailureKind | 'not_found' | 'bad_request';

export class DataverseError extends Error {
  constructor(
    readonly kind: DataverseErrorKind,
    message: string,
    readonly status?: number,
    /** the Dataverse error code such as 0x80040220, when the body gave one */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DataverseError';
  }
}

export function shortText(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The code and message of a Dataverse error body; empty when it is not one. */
export function readErrorBody(bodyText: string): { code?: string; message?: string } {
  try {
    const json = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof json.error?.code === 'string' ? json.error.code : undefined;
    const message = typeof json.error?.message === 'string' ? shortText(json.error.message) : undefined;
    return { code, message };
  } catch {
    return {};
  }
}

/** A non-success answer as an error. `what` names the request in words ("reading msevtmgt_events"). */
export function httpError(status: number, bodyText: string, what: string): DataverseError {
  const { code, message } = readErrorBody(bodyText);
  const said = message ? ` Dataverse said: "${message}"${code ? ` (${code})` : ''}` : '';
  const make = (kind: DataverseErrorKind, sentence: string) => new DataverseError(kind, sentence + said, status, code);
  if (status === 401)
    return make(
      'refused',
      `Dataverse refused the bot's token (401) while ${what}: the app registration may have no application user in this environment.`,
    );
  if (status === 403)
    return make(
      'refused',
      `Dataverse refused ${what} (403): the application user lacks a privilege (see the admin guide's custom role).`,
    );
  if (status === 404) return make('not_found', `Dataverse found nothing while ${what} (404).`);
  if (status === 429) return make('throttled', `Dataverse is throttling the bot (429) while ${what}.`);
  if (status === 400) return make('bad_request', `Dataverse did not accept ${what} (400).`);
  if (status >= 500) return make('unavailable', `Dataverse failed on its side (${status}) while ${what}.`);
  return make('unexpected', `Dataverse answered ${status} while ${what}, which the bot does not expect.`);
}

/** Replaces each secret in a text with ***; the last line of defence for anything that leaves the client. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}
