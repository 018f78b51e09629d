import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock, JobStore } from '../migration/types';
import { parseDatabaseUrl } from './databaseUrl';
import { openPgStore } from './pgStore';
import { SqliteJobStore } from './sqliteStore';
import { silentLogger, type StoreLogger } from './storeLogger';
import type { WriteHealth } from './writeHealth';

export interface OpenStoreOptions {
  logger?: StoreLogger;
  clock?: Clock;
  /** how long a store call waits for a lock another writer holds (asynchronously) */
  busyTimeoutMs?: number;
  writeHealth?: WriteHealth;
  /** PostgreSQL: connections in this process's pool */
  poolMax?: number;
}

/**
 * Opens the store DATABASE_URL names: `sqlite:<path>` (relative to the working folder, its folder is created),
 * `sqlite::memory:`, or `postgres://...` (several replicas on one database).
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<JobStore> {
  const location = parseDatabaseUrl(databaseUrl);
  const logger = options.logger ?? silentLogger;
  if (location.kind === 'postgres') {
    const store = await openPgStore(location.url, {
      logger,
      clock: options.clock,
      writeHealth: options.writeHealth,
      poolMax: options.poolMax,
    });
    logger.info({ database: location.display }, 'job store open');
    return store;
  }
  const file = location.kind === 'sqlite-memory' ? ':memory:' : location.file;
  let db: Database.Database;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
  } catch (error) {
    throw new Error(`cannot open the database at ${file}: ${(error as Error).message}`);
  }
  try {
    const store = new SqliteJobStore(db, {
      logger,
      clock: options.clock,
      busyTimeoutMs: options.busyTimeoutMs,
      writeHealth: options.writeHealth,
    });
    logger.info({ database: file }, 'job store open');
    return store;
  } catch (error) {
    db.close();
    throw error;
  }
}
