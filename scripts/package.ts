import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { packageRoot } from '../src/cards/packageRoot';
import { COMMANDS } from '../src/migration/commandCatalog';
import { normaliseGuid } from '../src/migration/ids';

/**
 * Builds the Teams app package: manifest.json (bot id filled in, commandLists generated from the commands the
 * bot answers) and the two icons, zipped flat as Teams admins upload it.
 * Run: `npm run package` with BOT_ID (or MicrosoftAppId) set, in the environment or in .env.
 */

export const SCOPES = ['team', 'groupChat', 'personal'] as const;
const ICONS = ['color.png', 'outline.png'] as const;
const MAX_TITLE = 32;
const MAX_DESCRIPTION = 128;
const MAX_COMMANDS = 10;

export interface PackageOptions {
  /** the bot's Microsoft App ID (a GUID) */
  botId: string;
  /** the Teams app id; the bot id unless given */
  appId?: string;
  outDir: string;
  /** where manifest.json and the icons are; appPackage/ of this project unless given */
  sourceDir?: string;
}

export interface ManifestCommand {
  title: string;
  description: string;
}

/** The menu Teams shows under the compose box; the usage is added where it says more than the name. */
export function manifestCommands(): ManifestCommand[] {
  if (COMMANDS.length > MAX_COMMANDS)
    throw new Error(`Teams shows at most ${MAX_COMMANDS} commands; there are ${COMMANDS.length}.`);
  return COMMANDS.map((c) => {
    const description = c.usage === c.name ? c.description : `${c.description} Usage: ${c.usage}`;
    if (c.name.length > MAX_TITLE) throw new Error(`Command title "${c.name}" is longer than ${MAX_TITLE} characters.`);
    if (description.length > MAX_DESCRIPTION)
      throw new Error(`The description of "${c.name}" is longer than ${MAX_DESCRIPTION} characters.`);
    return { title: c.name, description };
  });
}

function requireGuid(name: string, value: string): string {
  const guid = normaliseGuid(value);
  if (!guid)
    throw new Error(
      `${name} must be the bot's Microsoft App ID (a GUID such as 00000000-0000-0000-0000-000000000000), not "${value}".`,
    );
  return guid;
}

/** Fills the `${{NAME}}` placeholders and the command lists; refuses a placeholder it has no value for. */
export function buildManifest(template: string, values: Record<string, string>): Record<string, unknown> {
  const filled = template.replace(/\$\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`manifest.json uses ${whole}, which has no value.`);
    return value;
  });
  const manifest = JSON.parse(filled) as { bots?: Array<Record<string, unknown>> } & Record<string, unknown>;
  const commands = manifestCommands();
  for (const bot of manifest.bots ?? []) bot.commandLists = SCOPES.map((scope) => ({ scopes: [scope], commands }));
  return manifest;
}

/** Writes `<outDir>/appPackage.zip` and returns its path. */
export function buildPackage(options: PackageOptions): string {
  const botId = requireGuid('BOT_ID', options.botId);
  const appId = requireGuid('TEAMS_APP_ID', options.appId ?? botId);
  const sourceDir = options.sourceDir ?? join(packageRoot(__dirname), 'appPackage');
  const manifest = buildManifest(readFileSync(join(sourceDir, 'manifest.json'), 'utf8'), {
    BOT_ID: botId,
    TEAMS_APP_ID: appId,
  });

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  for (const icon of ICONS) zip.addFile(icon, readFileSync(join(sourceDir, icon)));
  mkdirSync(options.outDir, { recursive: true });
  const path = join(options.outDir, 'appPackage.zip');
  zip.writeZip(path);
  return path;
}

function main(): void {
  const root = packageRoot(__dirname);
  const envFile = join(root, '.env');
  // Values already in the environment win over .env (loadEnvFile does not overwrite them).
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const botId = process.env.BOT_ID || process.env.MicrosoftAppId;
  if (!botId) {
    console.error(
      "Cannot build the Teams app package: set BOT_ID (or MicrosoftAppId) to the bot's Microsoft App ID, in the environment or in .env.\n" +
        'For a local try: BOT_ID=00000000-0000-0000-0000-000000000000 npm run package',
    );
    process.exit(1);
  }
  try {
    const path = buildPackage({ botId, appId: process.env.TEAMS_APP_ID || undefined, outDir: join(root, 'build') });
    console.log(path);
  } catch (error) {
    console.error(`Cannot build the Teams app package: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) main();
