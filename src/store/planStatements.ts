import type Database from 'better-sqlite3';
import { PLAN_COLUMNS, type PlanRow } from './planRecord';

/** The SQLite statements of the `plans` table. */
export function preparePlanStatements(db: Database.Database) {
  return {
    insert: db.prepare<[PlanRow]>(
      `INSERT INTO plans (${PLAN_COLUMNS}) VALUES
         (@id, @environment, @state, @decided_json, @card_activity_id, @summary_sent_at, @data)
       ON CONFLICT(id) DO NOTHING`,
    ),
    byId: db.prepare<[string], PlanRow>(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = ?`),
    decide: db.prepare<[string, string, string]>(
      `UPDATE plans SET state = ?, decided_json = ? WHERE id = ? AND state = 'pending'`,
    ),
    card: db.prepare<[string, string]>('UPDATE plans SET card_activity_id = ? WHERE id = ?'),
    pending: db.prepare<[string], PlanRow>(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE environment = ? AND state = 'pending'`,
    ),
    awaitingSummary: db.prepare<[string], PlanRow>(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE environment = ? AND state = 'approved' AND summary_sent_at IS NULL`,
    ),
    summarySent: db.prepare<[string, string]>(
      'UPDATE plans SET summary_sent_at = ? WHERE id = ? AND summary_sent_at IS NULL',
    ),
  };
}
