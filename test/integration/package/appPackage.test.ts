import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import { COMMANDS } from '../../../src/migration/commandCatalog';
import { parseCommand } from '../../../src/migration/commandParser';
import { buildPackage } from '../../../scripts/package';

const BOT_ID = '2b7e1f0c-3d4a-4b5c-8d9e-0f1a2b3c4d5e';

interface Png {
  width: number;
  height: number;
  colourType: number;
  pixels: (x: number, y: number) => [number, number, number, number];
}

/** Reads the PNGs this project writes: 8-bit RGBA, filter 0 on every row. */
function readPng(data: Buffer): Png {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(data.toString('ascii', 12, 16)).toBe('IHDR');
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const colourType = data[25];
  const idat: Buffer[] = [];
  for (let at = 8; at < data.length;) {
    const length = data.readUInt32BE(at);
    if (data.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(data.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const rows = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  return {
    width,
    height,
    colourType,
    pixels: (x, y) => {
      expect(rows[y * stride]).toBe(0);
      const i = y * stride + 1 + x * 4;
      return [rows[i], rows[i + 1], rows[i + 2], rows[i + 3]];
    },
  };
}

describe('the Teams app package', () => {
  let dir: string;
  let zip: AdmZip;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-package-'));
    const path = buildPackage({ botId: BOT_ID.toUpperCase(), outDir: dir });
    expect(path).toBe(join(dir, 'appPackage.zip'));
    zip = new AdmZip(readFileSync(path));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string): Buffer => {
    const entry = zip.getEntry(name);
    if (!entry) throw new Error(`${name} is not at the root of the zip`);
    return entry.getData();
  };

  it('holds exactly the manifest and the two icons, at its root', () => {
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('has a 192x192 colour icon and a 32x32 outline icon that is white on transparent', () => {
    const color = readPng(file('color.png'));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(file('outline.png'));
    expect([outline.width, outline.height, outline.colourType]).toEqual([32, 32, 6]);
    let drawn = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = outline.pixels(x, y);
        if (a === 0) continue;
        drawn++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(drawn).toBeGreaterThan(50);
    expect(outline.pixels(0, 0)[3]).toBe(0);
  });

  it('has a manifest with the bot id filled in, the three scopes and a matching schema version', () => {
    const manifest = JSON.parse(file('manifest.json').toString('utf8'));
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.19);
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect([...manifest.bots[0].scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
  });

  it('lists, for every scope, exactly the commands the bot answers, within Teams limits', () => {
    const manifest = JSON.parse(file('manifest.json').toString('utf8'));
    const lists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }> =
      manifest.bots[0].commandLists;
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of lists) {
      expect(list.commands.map((c) => c.title)).toEqual(COMMANDS.map((c) => c.name));
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
    const migrate = lists[0].commands.find((c) => c.title === 'migrate');
    expect(migrate?.description).toContain('migrate <outbound-event-id> <real-time-event-id>');
  });

  it('offers only commands the bot really answers: each example parses as that command', () => {
    for (const c of COMMANDS) expect(parseCommand(c.example)).toEqual(expect.objectContaining({ kind: c.name }));
    for (const c of COMMANDS) expect(parseCommand(c.example)).not.toHaveProperty('unknownWord');
  });

  it('refuses a bot id that is not a GUID, naming the value', () => {
    expect(() => buildPackage({ botId: 'my-bot', outDir: dir })).toThrow(/BOT_ID.*"my-bot"/);
  });
});
