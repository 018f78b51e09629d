import type { DataverseVerdict, EventsApiFindings, SetupReport } from '../migration/setupCheck';
import type { ServiceState } from '../migration/types';
import { countText, safeText } from './format';

/**
 * The answer to `check`, and the line `npm start` logs: each finding in words, with the setting to fix when one is
 * wrong. Texts from the services pass through safeText (no token) and are shortened.
 */

const WEB_APP_PLACE = 'Settings > Event management > Web Applications';
const SAID_MAX = 200;

const SERVICE_STATE_WORDS: Readonly<Record<ServiceState, string>> = {
  queued: 'queued',
  running: 'running',
  completed: 'completed',
  completed_with_errors: 'completed with errors',
  failed: 'failed',
  stopped: 'stopped',
  no_job: 'no job',
  unknown: 'in a state the bot does not know',
};

const said = (text: string | undefined) => (text ? ` The service said: "${safeText(text, SAID_MAX)}"` : '');
const mark = (ok: boolean) => (ok ? '✅' : '❌');

function eventsApiLines(f: EventsApiFindings): string[] {
  const v = f.verdict;
  switch (v.kind) {
    case 'job':
    case 'no_job': {
      const job =
        v.kind === 'no_job'
          ? 'No migration job is on the service right now.'
          : `The service's current job is ${SERVICE_STATE_WORDS[v.job.state]}${v.job.rawState ? ` ("${safeText(v.job.rawState, 40)}")` : ''}${
              v.job.fromEventId || v.job.toEventId
                ? `, \`${v.job.fromEventId ?? '?'}\` → \`${v.job.toEventId ?? '?'}\``
                : ''
            }${v.job.processed !== undefined ? `, ${countText(v.job.processed)}${v.job.total !== undefined ? ` of ${countText(v.job.total)}` : ''} processed` : ''}.${said(v.said)}`;
      return [
        `${mark(true)} The endpoint answers.`,
        `${mark(true)} The token is accepted.`,
        `${mark(true)} The endpoint offers the migration tool.`,
        job,
      ];
    }
    case 'token_refused':
      return [
        `${mark(true)} The endpoint answers.`,
        `${mark(false)} The token was refused${v.httpStatus ? ` (${v.httpStatus})` : ''}. Fix ${v.settings.join(' or ')}: copy the Token (and the origin, if the web application has one) of the web application under ${WEB_APP_PLACE}.${said(v.said)}`,
      ];
    case 'no_migration':
      return [
        `${mark(true)} The endpoint answers.`,
        `${mark(false)} This endpoint does not offer the migration tool (404, and not "no job"). Check EVENTS_API_ENDPOINT: copy the Endpoint of the web application under ${WEB_APP_PLACE} (it ends in /eventmanagement/); if it is right, the migration is not offered in this organisation.${said(v.said)}`,
      ];
    case 'unreachable':
      return [
        v.timedOut
          ? `${mark(false)} The endpoint did not answer in time (${safeText(v.reason, 60)}). Check EVENTS_API_ENDPOINT and that this host can reach it.`
          : `${mark(false)} The endpoint cannot be reached (${safeText(v.reason, 60)}). Check EVENTS_API_ENDPOINT and that this host can reach it.`,
      ];
    case 'service_failed':
      return [
        `${mark(true)} The endpoint answers.`,
        `${mark(false)} The service failed on its side${v.httpStatus ? ` (${v.httpStatus})` : ''}, so the token and the migration tool could not be checked. Try again later.${said(v.said)}`,
      ];
  }
}

function tableList(tables: readonly string[]): string {
  return tables.map((t) => `\`${t}\``).join(', ');
}

/** `migrate <id> new` needs both; without them it is refused before anyone approves. */
function createEventsLine(p: { create: boolean; write: boolean }): string {
  if (p.create && p.write)
    return `${mark(true)} May create events: Create and Write on \`msevtmgt_event\`, so \`migrate <outbound-event-id> new\` can make the real-time draft.`;
  const missing = [p.create ? '' : 'Create', p.write ? '' : 'Write'].filter(Boolean).join(' and ');
  return `${mark(false)} May not create events: no ${missing} on \`msevtmgt_event\`, so \`migrate <outbound-event-id> new\` is refused (create the draft by hand, or add the privilege to the app user's role).`;
}

function dataverseLines(v: DataverseVerdict): string[] {
  switch (v.kind) {
    case 'ready':
      return [
        `${mark(true)} Signed in to Dataverse as the application user \`${v.userId}\`.`,
        v.missing.length === 0
          ? `${mark(true)} Every table the checks read is readable organisation-wide: ${tableList(v.readable)}.`
          : `${mark(true)} Readable organisation-wide: ${v.readable.length > 0 ? tableList(v.readable) : 'none'}.`,
        v.missing.length > 0 &&
          `${mark(false)} Missing privileges (Read, organisation level, in the app user's security role): ${tableList(v.missing)}. The checks on these tables will say "could not check".`,
        v.createEvents && createEventsLine(v.createEvents),
      ].filter((l): l is string => Boolean(l));
    case 'sign_in_failed':
      return [
        `${mark(false)} ${safeText(v.why, 300)} Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH).`,
      ];
    case 'refused':
      return [
        `${mark(false)} Signed in, but Dataverse refused the app: ${safeText(v.why, 300)} Create the application user and give it the bot's security role.`,
      ];
    case 'unreachable':
      return [`${mark(false)} Dataverse could not be read: ${safeText(v.why, 300)} Check DATAVERSE_URL.`];
  }
}

export function checkReport(report: SetupReport): string {
  const bullet = (l: string) => `- ${l}`;
  const parts = [
    report.ready ? '**Setup check: ready to migrate.**' : '**Setup check: not ready to migrate.**',
    '**Events API** (one status call)',
    eventsApiLines(report.eventsApi).map(bullet).join('\n'),
  ];
  if (report.dataverse) parts.push('**Dataverse**', dataverseLines(report.dataverse).map(bullet).join('\n'));
  return parts.join('\n\n');
}

/** One line for the start-up log. */
export function checkSummary(report: SetupReport): string {
  const lines = eventsApiLines(report.eventsApi);
  if (report.dataverse) lines.push(...dataverseLines(report.dataverse));
  return `${report.ready ? 'ready' : 'not ready'}: ${lines.join(' ')}`.replace(/[✅❌] /g, '');
}
