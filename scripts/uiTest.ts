/**
 * `npm run test:ui`: the browser test. The bot, the simulator and the Agents Playground start as in
 * `npm run dev` (on free ports, in a temp folder); the system Chromium, driven by playwright-core, opens the
 * Playground, @mentions the bot in the team channel, ticks the checklist, approves, and watches the card turn
 * into progress and then into the review card. Screenshots of the three cards go to test-output/ (to docs/, which
 * the README shows, with UPDATE_SCREENSHOTS=1), so a test run leaves the checkout clean. Exits 1 on failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createLogger } from '../src/logger';
import { startLocalStack } from './localStack';
import { freePort, PLAYGROUND_CONFIG_FILE } from './playground';
import { packageRoot } from '../src/cards/packageRoot';

const ROOT = packageRoot(__dirname);
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs') : path.join(ROOT, 'test-output');
const FAILURE_DIR = path.join(ROOT, 'test-output');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const BOT_NAME = 'Event migration';
const CHANNEL = 'Event migrations';
const FROM_EVENT = '6f1c2a3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b';
const TO_EVENT = '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a';
const REGISTRATIONS = 240;
/** registrations a second: the run lasts about 12 s, long enough to catch the card mid-way */
const SPEED = 20;
const STEP_TIMEOUT_MS = 20_000;

interface Stack {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Simulator, bot and Playground, like `npm run dev`, but slow enough only to catch the card mid-run. */
async function startStack(dir: string): Promise<Stack> {
  const logFile = path.join(dir, 'bot.log');
  const stack = await startLocalStack({
    env: { PORT: '0', DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`, STATUS_POLL_INTERVAL_MS: '250' },
    sim: { port: 0, registrations: REGISTRATIONS, speed: SPEED },
    // The screenshots show the cards as a bot without Dataverse draws them (the README's, and the tenant's first day).
    dataverse: false,
    overrides: { host: '127.0.0.1', logger: createLogger('info', fs.createWriteStream(logFile)) },
    playground: {
      port: await freePort(),
      workDir: path.join(dir, 'playground'),
      configFile: path.join(ROOT, PLAYGROUND_CONFIG_FILE),
    },
  });
  return { url: `http://127.0.0.1:${stack.playground.port}`, logFile, stop: stack.stop };
}

async function openBrowser(dir: string): Promise<BrowserContext> {
  const userDataDir = fs.mkdtempSync(path.join(dir, 'chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    // Tall enough that a whole card fits without scrolling under the Playground's sticky header.
    viewport: { width: 1280, height: 2400 },
    deviceScaleFactor: 1,
  });
  // The page asks a CDN for its fonts; this machine may have no way out, and the test must not depend on one.
  await context.route(
    (url) => !/^(localhost|127\.0\.0\.1)$/.test(url.hostname),
    (route) => route.abort(),
  );
  return context;
}

async function postInChannel(page: Page, command: string): Promise<void> {
  await page.getByText(CHANNEL, { exact: true }).click();
  await page.locator('[contenteditable="true"][role="textbox"]').click();
  await page.keyboard.type(`@${BOT_NAME.slice(0, 9)}`);
  await page.getByRole('menuitem', { name: BOT_NAME }).click();
  await page.keyboard.type(` ${command}`);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/** The bot's card in the channel (the only Adaptive Card on the page in this run). */
function theCard(page: Page): Locator {
  return page.locator('.ac-adaptiveCard').first();
}

async function cardShows(card: Locator, text: RegExp, what: string): Promise<void> {
  try {
    await card.getByText(text).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  } catch {
    throw new Error(
      `the card never showed ${what} (${text}); it shows:\n${(await card.innerText().catch(() => '(no card)')).slice(0, 1500)}`,
    );
  }
}

/** Waits until the card counts at least `count` migrated registrations (or has moved on from Running). */
async function untilMigrated(card: Locator, count: number): Promise<void> {
  const until = Date.now() + STEP_TIMEOUT_MS;
  const counts = new RegExp(`(\\d+) of ${REGISTRATIONS}`);
  while (Date.now() < until) {
    const text = await card.innerText();
    const migrated = Number(counts.exec(text)?.[1] ?? 0);
    if (migrated >= count || !/Running/.test(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function shoot(card: Locator, name: string): Promise<void> {
  await card.scrollIntoViewIfNeeded();
  fs.mkdirSync(SHOTS, { recursive: true });
  await card.screenshot({ path: path.join(SHOTS, name), animations: 'disabled' });
  process.stdout.write(`saved ${path.relative(ROOT, path.join(SHOTS, name))}\n`);
}

async function scenario(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await postInChannel(page, `migrate ${FROM_EVENT} ${TO_EVENT}`);
  const card = theCard(page);
  await card.getByRole('button', { name: 'Approve' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await cardShows(card, /Waiting for approval/, 'the confirmation');

  const boxes = card.getByRole('checkbox');
  for (let i = 0; i < 4; i++) await boxes.nth(i).check();
  await shoot(card, 'confirmation-card.png');
  await card.getByRole('button', { name: 'Approve' }).click();

  await cardShows(card, /^Running$/, 'the Running state');
  await cardShows(card, new RegExp(`of ${REGISTRATIONS}`), 'progress counts');
  await untilMigrated(card, REGISTRATIONS / 4);
  await shoot(card, 'progress-card.png');

  await cardShows(card, /^Completed$/, 'completion');
  await cardShows(card, /publish/i, 'the after-migration checklist');
  // The completion alert lands in the channel too; wait for it so the page stops moving before the picture.
  await page
    .getByText(/is complete/)
    .first()
    .waitFor({ timeout: STEP_TIMEOUT_MS });
  await shoot(card, 'review-card.png');
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium fonts-liberation`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-ui-'));
  const stack = await startStack(dir);
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  try {
    context = await openBrowser(dir);
    page = context.pages()[0] ?? (await context.newPage());
    await scenario(page, stack.url);
    process.stdout.write('browser test passed\n');
  } catch (err) {
    await saveFailure(page, stack.logFile);
    throw err;
  } finally {
    await context?.close().catch(() => undefined);
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function saveFailure(page: Page | undefined, logFile: string): Promise<void> {
  fs.mkdirSync(FAILURE_DIR, { recursive: true });
  await page?.screenshot({ path: path.join(FAILURE_DIR, 'ui-failure.png'), fullPage: true }).catch(() => undefined);
  if (fs.existsSync(logFile)) fs.copyFileSync(logFile, path.join(FAILURE_DIR, 'ui-failure-bot.log'));
  process.stderr.write('saved test-output/ui-failure.png and test-output/ui-failure-bot.log\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`browser test failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
