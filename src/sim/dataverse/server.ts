/**
 * The simulated Dataverse Web API: the OData subset the bot uses, over node:http, with faults on demand (429 with
 * Retry-After, slow answers, 5xx, rows hidden from the app user, a narrower role, a create whose answer is lost). Bearer tokens are those its
 * token server issued; without one the answer is 401 with Dataverse's error body.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { cancellablePauses, guarded, listen, readBody, urlHost } from '../httpServer';
import { FilterSyntaxError, parseFilter, type Predicate, type SimRow } from './odataFilter';
import { seedOrganisation, SEED } from './seed';
import { SIM_TABLES, tableByLogical, tableBySet, type SimData, type SimTableDef } from './tables';

const API = '/api/data/v9.2/';
const MAX_PAGE = 5000;
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

export type SimDataverseFault =
  | { kind: '429'; retryAfterSec?: number; times?: number }
  | { kind: 'slow'; ms: number; times?: number }
  | { kind: '5xx'; code?: number; times?: number };

export type PrivilegeDepth = 'Basic' | 'Local' | 'Deep' | 'Global' | 'None';

export interface SimDataverseCall {
  method: string;
  /** path below /api/data/v9.2/ */
  path: string;
  query: Record<string, string>;
  /** the OData headers as sent (never the Authorization header) */
  headers: { accept?: string; odataVersion?: string; odataMaxVersion?: string; prefer?: string };
  /** the status answered; 0 when no answer was sent (the connection was dropped) */
  status: number;
}

export interface SimDataverseOptions {
  host?: string;
  port?: number;
  /** tokens accepted besides those `acceptToken` adds (the token server adds what it issues) */
  tokens?: string[];
  /** every answer waits this long (the benchmark's slow Dataverse) */
  latencyMs?: number;
  data?: SimData;
  /** rows that appear in a table on top of the stored ones, asked for at each request (a migration in progress) */
  derivedRows?: (set: string) => SimRow[];
  log?: (line: string) => void;
}

export interface SimDataverse {
  /** paste as DATAVERSE_URL */
  readonly url: string;
  readonly port: number;
  readonly calls: readonly SimDataverseCall[];
  acceptToken(token: string): void;
  injectFault(fault: SimDataverseFault): void;
  clearFaults(): void;
  /** rows of the set matching the filter are left out of every read, as for a caller that may not read them */
  hideRows(set: string, filter?: string): void;
  /** the depth of Read on a table that RetrieveUserPrivileges reports (Global by default) */
  setReadDepth(logical: string, depth: PrivilegeDepth): void;
  /** a role too narrow for a table: its rows hidden and its Read no longer Global */
  narrowRole(logical: string): void;
  /** Create or Write on a table as RetrieveUserPrivileges reports it (msevtmgt_event: both Global by default) */
  setPrivilege(logical: string, privilege: 'Create' | 'Write', depth: PrivilegeDepth): void;
  /** the next `times` creates (all, without) fail with this status before storing anything */
  failCreates(fault?: { status?: number; times?: number }): void;
  /** creates store their row, then answer only after `ms` (a bot killed before the answer reached it) */
  holdCreates(ms: number): void;
  /** the next `times` creates (default 1) store their row, then the connection is dropped without an answer */
  loseCreateAnswers(times?: number): void;
  /** rows created by POST in a set since the start (or the last reset) */
  created(set: string): number;
  setLatency(ms: number): void;
  /** the stored rows of a set (not derived ones); the array itself, for tests to change */
  rows(set: string): SimRow[];
  /** every stored table (not derived rows) */
  data(): SimData;
  reset(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

const errorAnswer = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message } },
});

function preferences(req: IncomingMessage): { pageSize: number; formatted: boolean; representation: boolean } {
  const prefer = String(req.headers.prefer ?? '');
  const size = /odata\.maxpagesize=(\d+)/.exec(prefer);
  return {
    pageSize: Math.min(MAX_PAGE, Math.max(1, size ? Number(size[1]) : MAX_PAGE)),
    formatted: /include-annotations="[^"]*(FormattedValue|\*)/.test(prefer),
    representation: /return=representation/.test(prefer),
  };
}

/** What Dataverse fills in on a new row when the body leaves it out: a new event is a Draft. */
const TABLE_DEFAULTS: Record<string, SimRow> = { msevtmgt_events: { msevtmgt_publishstatus: 100000000 } };

/** The bot's role may create and change events only (the proposed custom role); nothing else. */
const defaultWrite = (logical: string): PrivilegeDepth => (logical === 'msevtmgt_event' ? 'Global' : 'None');

const APPLY = /^(?:filter\((.*)\)\/)?aggregate\(\$count as (\w+)\)$/;
const GROUPED = /^(?:filter\((.*)\)\/)?groupby\(\((\w+)\),aggregate\(\$count as (\w+)\)\)$/;

/** `$orderby=a desc,b`: a comparator, or undefined when the text is not one this simulator reads. */
function ordering(text: string): ((a: SimRow, b: SimRow) => number) | undefined {
  const keys = text.split(',').map((part) => /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(part));
  if (keys.some((k) => !k)) return undefined;
  return (a, b) => {
    for (const k of keys as RegExpExecArray[]) {
      const [x, y] = [a[k[1]], b[k[1]]];
      const sign = k[2]?.toLowerCase() === 'desc' ? -1 : 1;
      // Dataverse sorts nulls first ascending, last descending.
      if (x === y || (x == null && y == null)) continue;
      if (x == null) return -sign;
      if (y == null) return sign;
      const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : Number(x) - Number(y);
      if (c !== 0) return sign * c;
    }
    return 0;
  };
}

/** `{n: count}` per value of the column, as Dataverse's groupby answers. */
function groupCounts(rows: SimRow[], column: string, as: string): SimRow[] {
  const counts = new Map<unknown, number>();
  for (const row of rows) counts.set(row[column] ?? null, (counts.get(row[column] ?? null) ?? 0) + 1);
  return [...counts].map(([value, n]) => ({ [column]: value, [as]: n }));
}

export async function startDataverseSimulator(options: SimDataverseOptions = {}): Promise<SimDataverse> {
  const host = options.host ?? '127.0.0.1';
  let data: SimData = options.data ?? seedOrganisation();
  const tokens = new Set(options.tokens ?? []);
  const calls: SimDataverseCall[] = [];
  let faults: SimDataverseFault[] = [];
  let hidden: { set: string; predicate: Predicate }[] = [];
  let depth: Record<string, PrivilegeDepth> = {};
  let writeDepth: Record<string, PrivilegeDepth> = {};
  let createFault: { status: number; times?: number } | undefined;
  let holdMs = 0;
  let answersToLose = 0;
  let createdCount: Record<string, number> = {};
  let latencyMs = options.latencyMs ?? 0;
  let origin = '';
  const pauses = cancellablePauses();

  const visible = (table: SimTableDef): SimRow[] => {
    const stored = data[table.set] ?? [];
    const derived = options.derivedRows?.(table.set) ?? [];
    const all = derived.length > 0 ? [...stored, ...derived] : stored;
    const hides = hidden.filter((h) => h.set === table.set);
    return hides.length === 0 ? all : all.filter((row) => !hides.some((h) => h.predicate(row)));
  };

  function takeFault(): SimDataverseFault | undefined {
    const fault = faults.find((f) => f.kind !== 'slow');
    if (fault?.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) faults = faults.filter((f) => f !== fault);
    }
    return fault;
  }
  function takeSlow(): number {
    const slow = faults.find((f) => f.kind === 'slow');
    if (!slow || slow.kind !== 'slow') return 0;
    if (slow.times !== undefined) {
      slow.times -= 1;
      if (slow.times <= 0) faults = faults.filter((f) => f !== slow);
    }
    return slow.ms;
  }

  function formatted(table: SimTableDef, row: SimRow): SimRow {
    const out: SimRow = { ...row };
    for (const [column, set] of Object.entries(table.lookups ?? {})) {
      const target = tableBySet(set);
      const id = row[column];
      if (!target?.nameColumn || typeof id !== 'string') continue;
      const found = (data[set] ?? []).find((r) => r[target.key] === id);
      if (found && typeof found[target.nameColumn] === 'string')
        out[`${column}${FORMATTED}`] = found[target.nameColumn];
    }
    return out;
  }

  function project(table: SimTableDef, row: SimRow, select: string | null, withNames: boolean): SimRow {
    const full = withNames ? formatted(table, row) : row;
    if (!select) return { ...full };
    const columns = new Set([...select.split(',').map((s) => s.trim()), table.key]);
    const out: SimRow = {};
    for (const [k, v] of Object.entries(full)) {
      const base = k.split('@')[0];
      if (columns.has(base)) out[k] = v;
    }
    for (const c of columns) if (!(c in out)) out[c] = null;
    return out;
  }

  function filtered(table: SimTableDef, filter: string | null): SimRow[] | Answer {
    const rows = visible(table);
    if (!filter) return rows;
    try {
      const predicate = parseFilter(filter);
      return rows.filter(predicate);
    } catch (error) {
      if (error instanceof FilterSyntaxError) return errorAnswer(400, '0x80060888', error.message);
      throw error;
    }
  }

  function list(table: SimTableDef, url: URL, req: IncomingMessage): Answer {
    const q = url.searchParams;
    const apply = q.get('$apply');
    if (apply) {
      const g = GROUPED.exec(apply.trim());
      if (g) {
        const rows = filtered(table, g[1] ?? null);
        if (!Array.isArray(rows)) return rows;
        const value = groupCounts(rows, g[2], g[3]);
        return { status: 200, body: { '@odata.context': `${origin}${API}$metadata#${table.set}`, value } };
      }
      const m = APPLY.exec(apply.trim());
      if (!m) return errorAnswer(400, '0x80060888', `The $apply '${apply}' is not supported.`);
      const rows = filtered(table, m[1] ?? null);
      if (!Array.isArray(rows)) return rows;
      return {
        status: 200,
        body: { '@odata.context': `${origin}${API}$metadata#${table.set}`, value: [{ [m[2]]: rows.length }] },
      };
    }
    // As Dataverse: no $skip (pages are followed by their next link).
    if (q.has('$skip')) return errorAnswer(400, '0x80060888', 'The query parameter $skip is not supported.');
    const found = filtered(table, q.get('$filter'));
    if (!Array.isArray(found)) return found;
    const orderby = q.get('$orderby');
    const order = orderby ? ordering(orderby) : undefined;
    if (orderby && !order) return errorAnswer(400, '0x80060888', `The $orderby '${orderby}' is not supported.`);
    const topText = q.get('$top');
    if (topText !== null && !/^\d+$/.test(topText))
      return errorAnswer(400, '0x80060888', `The $top '${topText}' is not a number.`);
    const sorted = order ? [...found].sort(order) : found;
    const rows = topText === null ? sorted : sorted.slice(0, Number(topText));
    const prefs = preferences(req);
    const skip = Number(q.get('$skiptoken') ?? '0') || 0;
    const page = rows.slice(skip, skip + prefs.pageSize);
    const body: Record<string, unknown> = {
      '@odata.context': `${origin}${API}$metadata#${table.set}`,
      value: page.map((r) => project(table, r, q.get('$select'), prefs.formatted)),
    };
    if (q.get('$count') === 'true') body['@odata.count'] = Math.min(found.length, 5000);
    if (skip + prefs.pageSize < rows.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', String(skip + prefs.pageSize));
      body['@odata.nextLink'] = `${origin}${next.pathname}${next.search}`;
    }
    return { status: 200, body };
  }

  function one(table: SimTableDef, id: string, url: URL, req: IncomingMessage): Answer {
    const row = visible(table).find((r) => String(r[table.key]).toLowerCase() === id.toLowerCase());
    if (!row) return errorAnswer(404, '0x80040217', `${table.logical} With Id = ${id} Does Not Exist`);
    return { status: 200, body: project(table, row, url.searchParams.get('$select'), preferences(req).formatted) };
  }

  function create(table: SimTableDef, bodyText: string, req: IncomingMessage): Answer {
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      return errorAnswer(400, '0x80040203', 'The request body is not valid JSON.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return errorAnswer(400, '0x80040203', 'The request body must be an object.');
    if (createFault) {
      const fault = createFault;
      if (fault.times !== undefined && --fault.times <= 0) createFault = undefined;
      return errorAnswer(fault.status, '0x80040216', 'An unexpected error occurred while creating the record.');
    }
    const row: SimRow = { statecode: 0, ...(TABLE_DEFAULTS[table.set] ?? {}), ...(body as SimRow) };
    row[table.key] = typeof row[table.key] === 'string' ? (row[table.key] as string).toLowerCase() : randomUUID();
    // a client-chosen id that is taken: Dataverse's duplicate-key answer, and nothing stored
    if ((data[table.set] ?? []).some((r) => String(r[table.key]).toLowerCase() === row[table.key]))
      return errorAnswer(412, '0x80040237', 'A record with matching key values already exists.');
    (data[table.set] ??= []).push(row);
    createdCount[table.set] = (createdCount[table.set] ?? 0) + 1;
    const entityId = `${origin}${API}${table.set}(${String(row[table.key])})`;
    if (preferences(req).representation) return { status: 201, body: row, headers: { 'odata-entityid': entityId } };
    return { status: 204, headers: { 'odata-entityid': entityId } };
  }

  function privileges(userId: string): Answer {
    if (userId.toLowerCase() !== SEED.appUserId)
      return errorAnswer(404, '0x80040217', `systemuser With Id = ${userId} Does Not Exist`);
    const privilege = (name: string, d: PrivilegeDepth) =>
      d === 'None'
        ? []
        : [{ Depth: d, PrivilegeId: randomUUID(), BusinessUnitId: SEED.businessUnitId, PrivilegeName: name }];
    const RolePrivileges = SIM_TABLES.flatMap((t) => [
      ...privilege(`prvRead${t.schema}`, depth[t.logical] ?? 'Global'),
      ...privilege(`prvCreate${t.schema}`, writeDepth[`Create:${t.logical}`] ?? defaultWrite(t.logical)),
      ...privilege(`prvWrite${t.schema}`, writeDepth[`Write:${t.logical}`] ?? defaultWrite(t.logical)),
    ]);
    return {
      status: 200,
      body: {
        '@odata.context': `${origin}${API}$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`,
        RolePrivileges,
      },
    };
  }

  function route(req: IncomingMessage, url: URL, bodyText: string): Answer {
    const rest = decodeURIComponent(url.pathname.slice(API.length));
    const method = req.method ?? 'GET';
    if (rest === 'WhoAmI' && method === 'GET') {
      return {
        status: 200,
        body: {
          '@odata.context': `${origin}${API}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
          BusinessUnitId: SEED.businessUnitId,
          UserId: SEED.appUserId,
          OrganizationId: SEED.organizationId,
        },
      };
    }
    const priv = /^systemusers\(([^)]+)\)\/Microsoft\.Dynamics\.CRM\.RetrieveUserPrivileges\(\)$/.exec(rest);
    if (priv && method === 'GET') return privileges(priv[1]);
    const m = /^([a-z_]+)(?:\(([^)]+)\))?(\/\$count)?$/.exec(rest);
    const table = m ? tableBySet(m[1]) : undefined;
    if (!m || !table)
      return errorAnswer(404, '0x80060888', `Resource not found for the segment '${rest.split(/[(/]/)[0]}'.`);
    if (method === 'POST' && !m[2] && !m[3]) return create(table, bodyText, req);
    if (method !== 'GET') return errorAnswer(405, '0x80060888', 'The method is not allowed here.');
    if (m[2]) return one(table, m[2], url, req);
    if (m[3]) {
      const rows = filtered(table, url.searchParams.get('$filter'));
      return Array.isArray(rows) ? { status: 200, text: String(Math.min(rows.length, 5000)) } : rows;
    }
    return list(table, url, req);
  }

  function authorised(req: IncomingMessage): boolean {
    const header = String(req.headers.authorization ?? '');
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    return token !== undefined && tokens.has(token);
  }

  function send(res: ServerResponse, call: SimDataverseCall, answer: Answer): void {
    call.status = answer.status;
    const headers: Record<string, string> = { 'odata-version': '4.0', ...answer.headers };
    let text = answer.text;
    if (answer.body !== undefined) {
      headers['content-type'] = 'application/json; odata.metadata=minimal';
      text = JSON.stringify(answer.body);
    } else if (text !== undefined) headers['content-type'] = 'text/plain';
    res.writeHead(answer.status, headers);
    res.end(text);
    options.log?.(`${call.method} ${call.path} -> ${answer.status}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const bodyText = await readBody(req);
    const call: SimDataverseCall = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname.slice(API.length)),
      query: Object.fromEntries(url.searchParams),
      headers: {
        accept: req.headers.accept,
        odataVersion: req.headers['odata-version'] as string | undefined,
        odataMaxVersion: req.headers['odata-maxversion'] as string | undefined,
        prefer: req.headers.prefer as string | undefined,
      },
      status: 0,
    };
    calls.push(call);
    const wait = latencyMs + takeSlow();
    if (wait > 0) await pauses.pause(wait);
    if (!url.pathname.startsWith(API)) return send(res, call, errorAnswer(404, '0x80060888', 'Resource not found.'));
    if (!authorised(req))
      return send(res, call, errorAnswer(401, '0x80072560', 'The user is not a member of the organization.'));
    const fault = takeFault();
    if (fault?.kind === '429') {
      const answer = errorAnswer(
        429,
        '0x80072322',
        'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
      );
      answer.headers = { 'retry-after': String(fault.retryAfterSec ?? 1) };
      return send(res, call, answer);
    }
    if (fault?.kind === '5xx')
      return send(res, call, errorAnswer(fault.code ?? 503, '0x80040216', 'An unexpected error occurred.'));
    const answer = route(req, url, bodyText);
    const stored = call.method === 'POST' && answer.status < 300;
    if (holdMs > 0 && stored) await pauses.pause(holdMs);
    if (stored && answersToLose > 0) {
      // the network failing after Dataverse stored the row: the caller never learns that it did
      answersToLose -= 1;
      options.log?.(`${call.method} ${call.path} -> stored, connection dropped`);
      res.socket?.destroy();
      return;
    }
    send(res, call, answer);
  }

  const server: Server = createServer(guarded(handle));
  const port = await listen(server, options.port, host);
  origin = `http://${urlHost(host)}:${port}`;

  return {
    url: origin,
    port,
    calls,
    acceptToken: (t) => tokens.add(t),
    injectFault: (f) => {
      if (f.times === undefined || f.times > 0) faults.push({ ...f });
    },
    clearFaults: () => {
      faults = [];
      createFault = undefined;
      answersToLose = 0;
    },
    hideRows: (set, filter) => {
      hidden.push({ set, predicate: filter ? parseFilter(filter) : () => true });
    },
    setReadDepth: (logical, d) => {
      if (!tableByLogical(logical)) throw new Error(`no simulated table ${logical}`);
      depth[logical] = d;
    },
    narrowRole: (logical) => {
      const table = tableByLogical(logical);
      if (!table) throw new Error(`no simulated table ${logical}`);
      depth[logical] = 'Basic';
      hidden.push({ set: table.set, predicate: () => true });
    },
    setPrivilege: (logical, privilege, d) => {
      if (!tableByLogical(logical)) throw new Error(`no simulated table ${logical}`);
      writeDepth[`${privilege}:${logical}`] = d;
    },
    failCreates: (fault = {}) => {
      createFault = { status: fault.status ?? 500, times: fault.times };
    },
    holdCreates: (ms) => {
      holdMs = ms;
    },
    loseCreateAnswers: (times = 1) => {
      answersToLose = times;
    },
    created: (set) => createdCount[set] ?? 0,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    rows: (set) => (data[set] ??= []),
    data: () => data,
    reset: () => {
      data = options.data ?? seedOrganisation();
      faults = [];
      hidden = [];
      depth = {};
      writeDepth = {};
      createFault = undefined;
      holdMs = 0;
      answersToLose = 0;
      createdCount = {};
      calls.length = 0;
      latencyMs = options.latencyMs ?? 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        pauses.cancel();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
