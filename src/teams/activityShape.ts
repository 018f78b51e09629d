/**
 * The least an activity must look like before botbuilder sees it. botbuilder answers some malformed bodies
 * (an empty object, a numeric type, a serviceUrl that is not a string) with a 500 that carries its internal
 * message; these get a plain 400 instead, and nothing runs.
 */

export function activityShapeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type.trim() === '') return '"type" must be a non-empty string';
  if (activity.serviceUrl !== undefined && !isHttpUrl(activity.serviceUrl))
    return '"serviceUrl" must be an http(s) URL';
  for (const key of ['conversation', 'from', 'recipient', 'channelData'] as const) {
    const value = activity[key];
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value)))
      return `"${key}" must be an object`;
  }
  for (const key of ['id', 'channelId', 'text', 'name', 'replyToId'] as const) {
    const value = activity[key];
    if (value !== undefined && value !== null && typeof value !== 'string') return `"${key}" must be a string`;
  }
  const conversationId = (activity.conversation as { id?: unknown } | undefined)?.id;
  if (conversationId !== undefined && typeof conversationId !== 'string') return '"conversation.id" must be a string';
  return undefined;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
