/**
 * Which tables the application user may read organisation-wide, from RetrieveUserPrivileges. A privilege's name is
 * prvRead<schema name>; the schema name differs from the logical name only in case, so names are compared lower-cased.
 */
import { DATAVERSE_TABLES, type DataverseTable } from '../migration/dataverseFacts';
import type { Row } from './client';

/** PrivilegeDepth: Basic 0, Local 1, Deep 2, Global 3; the Web API spells it as a name. */
function isGlobal(depth: unknown): boolean {
  return depth === 'Global' || depth === 3 || depth === '3';
}

export function globalReadFrom(answer: Row): Record<DataverseTable, boolean> {
  const list = Array.isArray(answer.RolePrivileges) ? (answer.RolePrivileges as Row[]) : [];
  const global = new Set(
    list
      .filter((p) => typeof p.PrivilegeName === 'string' && isGlobal(p.Depth))
      .map((p) => (p.PrivilegeName as string).toLowerCase()),
  );
  const out = {} as Record<DataverseTable, boolean>;
  for (const table of DATAVERSE_TABLES) out[table] = global.has(`prvread${table}`);
  return out;
}

export function retrieveUserPrivilegesPath(userId: string): string {
  return `systemusers(${userId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`;
}

/** Create and Write on msevtmgt_event at any depth: the app user then owns the rows it makes, which is enough. */
export function eventCreateFrom(answer: Row): { create: boolean; write: boolean } {
  const list = Array.isArray(answer.RolePrivileges) ? (answer.RolePrivileges as Row[]) : [];
  const held = new Set(
    list
      .filter((p) => typeof p.PrivilegeName === 'string' && p.Depth !== 'None')
      .map((p) => (p.PrivilegeName as string).toLowerCase()),
  );
  return { create: held.has('prvcreatemsevtmgt_event'), write: held.has('prvwritemsevtmgt_event') };
}
