import type Database from 'better-sqlite3';
import type { StoreLogger } from './storeLogger';

interface RefRow {
  reference_json: string | null;
  blocked_reason: string | null;
}

function prepareRefStatements(db: Database.Database) {
  return {
    // a fresh reference means the bot was (re-)added, so it may post again
    save: db.prepare<{ id: string; json: string; at: string }>(
      `INSERT INTO conversation_refs (conversation_id, reference_json, updated_at, blocked_reason)
       VALUES (@id, @json, @at, NULL)
       ON CONFLICT(conversation_id) DO UPDATE SET
         reference_json = excluded.reference_json, updated_at = excluded.updated_at, blocked_reason = NULL`,
    ),
    get: db.prepare<[string], RefRow>(
      `SELECT reference_json, blocked_reason FROM conversation_refs WHERE conversation_id = ?`,
    ),
    remove: db.prepare<[string]>(`DELETE FROM conversation_refs WHERE conversation_id = ?`),
    removeTeam: db.prepare<[string]>(
      `DELETE FROM conversation_refs WHERE reference_json IS NOT NULL AND json_extract(reference_json, '$.teamId') = ?`,
    ),
    block: db.prepare<{ id: string; reason: string; at: string }>(
      `INSERT INTO conversation_refs (conversation_id, reference_json, updated_at, blocked_reason)
       VALUES (@id, NULL, @at, @reason)
       ON CONFLICT(conversation_id) DO UPDATE SET blocked_reason = excluded.blocked_reason,
         updated_at = excluded.updated_at`,
    ),
  };
}

/**
 * Where the bot may post proactively. A row can exist without a reference: a conversation can be marked
 * blocked (403 from the connector) before or after its reference is dropped.
 */
export class ConversationRefs {
  private readonly st: ReturnType<typeof prepareRefStatements>;
  constructor(
    db: Database.Database,
    private readonly logger: StoreLogger,
    private readonly now: () => string,
  ) {
    this.st = prepareRefStatements(db);
  }

  save(conversationId: string, reference: unknown): void {
    const json = JSON.stringify(reference);
    if (json === undefined) throw new Error(`no conversation reference given for ${conversationId}`);
    // Every message carries the same reference, and a durable write per message was a third of a turn's cost:
    // an unchanged, unblocked one is not written again. Read from the file, not remembered in this process, so
    // a block another process wrote is seen.
    const stored = this.st.get.get(conversationId);
    if (stored && stored.reference_json === json && stored.blocked_reason === null) return;
    this.st.save.run({ id: conversationId, json, at: this.now() });
  }

  get(conversationId: string): unknown {
    const text = this.st.get.get(conversationId)?.reference_json;
    if (text === null || text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      this.logger.warn({ conversationId }, 'stored conversation reference is not JSON; treating it as missing');
      return undefined;
    }
  }

  remove(conversationId: string): void {
    this.st.remove.run(conversationId);
  }

  removeTeam(teamId: string): void {
    this.st.removeTeam.run(teamId);
  }

  block(conversationId: string, reason: string): void {
    this.st.block.run({ id: conversationId, reason, at: this.now() });
  }

  isBlocked(conversationId: string): boolean {
    const reason = this.st.get.get(conversationId)?.blocked_reason;
    return reason !== null && reason !== undefined;
  }
}
