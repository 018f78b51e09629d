/** Building OData query strings the way Dataverse reads them. */

export interface QueryParts {
  select?: readonly string[];
  filter?: string;
  apply?: string;
  count?: boolean;
}

/** `set?$select=a,b&$filter=...`, each value percent-encoded. */
export function odataPath(set: string, parts: QueryParts = {}): string {
  const params: string[] = [];
  if (parts.select?.length) params.push(`$select=${encodeURIComponent(parts.select.join(','))}`);
  if (parts.filter) params.push(`$filter=${encodeURIComponent(parts.filter)}`);
  if (parts.apply) params.push(`$apply=${encodeURIComponent(parts.apply)}`);
  if (parts.count) params.push('$count=true');
  return params.length > 0 ? `${set}?${params.join('&')}` : set;
}

/** A string literal: quoted, with each ' doubled. */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID as OData wants it (bare, lower case); throws on anything else so nothing odd reaches a query. */
export function guid(id: string): string {
  const bare = id.trim().replace(/^\{|\}$/g, '');
  if (!GUID.test(bare)) throw new Error(`not a GUID: ${JSON.stringify(id).slice(0, 60)}`);
  return bare.toLowerCase();
}
