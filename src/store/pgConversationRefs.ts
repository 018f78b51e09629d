import type { Pool } from 'pg';
import type { StoreLogger } from './storeLogger';

/**
 * Where the bot may post proactively, in PostgreSQL. No cache in this process: a reference or a block written
 * by one replica is what the others read. An unchanged reference costs one statement that changes no row.
 */
export class PgConversationRefs {
  constructor(
    private readonly pool: Pool,
    private readonly logger: StoreLogger,
    private readonly now: () => string,
  ) {}

  async save(conversationId: string, reference: unknown): Promise<void> {
    const json = JSON.stringify(reference);
    if (json === undefined) throw new Error(`no conversation reference given for ${conversationId}`);
    const teamId = (reference as { teamId?: unknown } | null)?.teamId;
    // a fresh reference means the bot was (re-)added, so it may post again
    await this.pool.query(
      `INSERT INTO conversation_refs (conversation_id, reference_json, team_id, updated_at, blocked_reason)
       VALUES ($1, $2, $3, $4, NULL)
       ON CONFLICT (conversation_id) DO UPDATE SET reference_json = EXCLUDED.reference_json,
         team_id = EXCLUDED.team_id, updated_at = EXCLUDED.updated_at, blocked_reason = NULL
       WHERE conversation_refs.reference_json IS DISTINCT FROM EXCLUDED.reference_json
          OR conversation_refs.blocked_reason IS NOT NULL`,
      [conversationId, json, typeof teamId === 'string' ? teamId : null, this.now()],
    );
  }

  async get(conversationId: string): Promise<unknown> {
    const text = (await this.row(conversationId))?.reference_json;
    if (text === null || text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      this.logger.warn({ conversationId }, 'stored conversation reference is not JSON; treating it as missing');
      return undefined;
    }
  }

  async remove(conversationId: string): Promise<void> {
    await this.pool.query('DELETE FROM conversation_refs WHERE conversation_id = $1', [conversationId]);
  }

  async removeTeam(teamId: string): Promise<void> {
    await this.pool.query('DELETE FROM conversation_refs WHERE team_id = $1', [teamId]);
  }

  async block(conversationId: string, reason: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO conversation_refs (conversation_id, reference_json, updated_at, blocked_reason)
       VALUES ($1, NULL, $2, $3)
       ON CONFLICT (conversation_id) DO UPDATE SET blocked_reason = EXCLUDED.blocked_reason,
         updated_at = EXCLUDED.updated_at`,
      [conversationId, this.now(), reason],
    );
  }

  async isBlocked(conversationId: string): Promise<boolean> {
    const reason = (await this.row(conversationId))?.blocked_reason;
    return reason !== null && reason !== undefined;
  }

  private async row(conversationId: string) {
    const result = await this.pool.query<{ reference_json: string | null; blocked_reason: string | null }>(
      'SELECT reference_json, blocked_reason FROM conversation_refs WHERE conversation_id = $1',
      [conversationId],
    );
    return result.rows[0];
  }
}
