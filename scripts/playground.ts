/**
 * Starts the Microsoft 365 Agents Playground (the local Teams client) as a child process, headless, pointed at
 * the bot. Shared by `npm run dev`, the end-to-end tests and the browser test so all three run it the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const DEFAULT_PLAYGROUND_PORT = 56150;
export const PLAYGROUND_CONFIG_FILE = '.m365agentsplayground.yml';

export interface PlaygroundOptions {
  /** the bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  port: number;
  /** its working folder: it reads the config file there and writes devTools/ (logs) there */
  workDir: string;
  /** copied into workDir when workDir does not already hold a config file */
  configFile?: string;
  /** where its stdout/stderr go; default: discarded */
  output?: (chunk: string) => void;
  /** how long to wait for it to listen */
  startTimeoutMs?: number;
}

export interface Playground {
  readonly url: string;
  /** where it really listens: it takes another free port, silently, when the one asked for is busy */
  readonly port: number;
  /** its request/response log: the exact activities it exchanged with the bot */
  readonly logFile: string;
  stop(): Promise<void>;
}

export function playgroundBin(): string {
  // Its own cli.js run by this node: no shell wrapper in between, so stopping the child stops the Playground.
  const pkg = require.resolve('@microsoft/m365agentsplayground/package.json');
  return path.join(path.dirname(pkg), 'cli.js');
}

/** A port nobody listens on right now (the Playground takes a port number, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  fs.mkdirSync(options.workDir, { recursive: true });
  const config = path.join(options.workDir, PLAYGROUND_CONFIG_FILE);
  if (options.configFile && path.resolve(options.configFile) !== path.resolve(config))
    fs.copyFileSync(options.configFile, config);
  const child = spawn(
    process.execPath,
    [playgroundBin(), '-e', options.botEndpoint, '-c', 'msteams', '-p', String(options.port), '--disable-telemetry'],
    {
      cwd: options.workDir,
      // BROWSER=none: never try to open a browser (there may be none); we print the URL instead.
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // If this process ends without stop() (a crash, a killed test worker), the Playground must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = () => {
    process.off('exit', killOnExit);
    return stopChild(child);
  };
  let port: number;
  try {
    port = await waitForListening(child, options);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `http://localhost:${port}`,
    port,
    logFile: path.join(options.workDir, 'devTools', 'm365agentsplayground.log'),
    stop,
  };
}

function waitForListening(child: ChildProcess, options: PlaygroundOptions): Promise<number> {
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    let seen = '';
    let listening = false;
    const timer = setTimeout(
      () => fail(new Error(`the Agents Playground did not listen on port ${options.port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      options.output?.(text);
      seen = (seen + text).slice(-4000);
      const port = /Listening on (\d+)/.exec(seen)?.[1];
      if (port && !listening) done(Number(port));
    };
    const onExit = (code: number | null) =>
      fail(new Error(`the Agents Playground exited (code ${code}) before listening:\n${seen.trim().slice(-1000)}`));
    function done(port: number) {
      listening = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(port);
    }
    function fail(err: Error) {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(err);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
