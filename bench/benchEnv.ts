import path from 'node:path';
import { packageRoot } from '../src/cards/packageRoot';
import { DEFAULT_SIM_TOKEN } from '../src/sim/simulator';

/** Paths from the package root (the bench runs from dist/, from any working folder) and the children's environment. */

export const ROOT = packageRoot(__dirname);
export const BOT_ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
/** compiled siblings of this file */
export const benchScript = (name: string) => path.join(__dirname, `${name}.js`);
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

/**
 * Only what the child needs: nothing of the caller's own bot settings (an app id, a real endpoint) leaks in.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...extra };
}

export function botEnv(simUrl: string, databaseFile: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return childEnv({
    EVENTS_API_ENDPOINT: simUrl,
    EVENTS_API_TOKEN: DEFAULT_SIM_TOKEN,
    DATABASE_URL: `sqlite:${databaseFile}`,
    LOG_LEVEL: 'info',
    ...extra,
  });
}
