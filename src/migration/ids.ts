/** Dataverse ids: accepted with or without braces, any case; always handled in lower case. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function normaliseGuid(value: string): string | undefined {
  let v = value.trim();
  if (v.startsWith('{') && v.endsWith('}')) v = v.slice(1, -1);
  return GUID.test(v) ? v.toLowerCase() : undefined;
}

/** A short form for texts where a whole GUID would be noise; cards always show the full id. */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}
