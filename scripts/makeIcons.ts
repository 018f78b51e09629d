import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { packageRoot } from '../src/cards/packageRoot';

/**
 * Draws the Teams app icons (two boxes and an arrow: registrations moving from one event to another) and writes
 * them as PNGs. Run once after a change: `npx tsc -p tsconfig.build.json && node dist/scripts/makeIcons.js`;
 * the PNGs are committed, so packaging needs no image tool.
 */

type Rgba = readonly [number, number, number, number];

class Canvas {
  readonly pixels: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = Buffer.alloc(width * height * 4);
  }

  fill(x0: number, y0: number, x1: number, y1: number, colour: Rgba): void {
    for (let y = Math.max(0, y0); y < Math.min(this.height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(this.width, x1); x++)
        this.pixels.set(colour, (y * this.width + x) * 4);
    }
  }

  frame(x0: number, y0: number, x1: number, y1: number, stroke: number, colour: Rgba): void {
    this.fill(x0, y0, x1, y0 + stroke, colour);
    this.fill(x0, y1 - stroke, x1, y1, colour);
    this.fill(x0, y0, x0 + stroke, y1, colour);
    this.fill(x1 - stroke, y0, x1, y1, colour);
  }

  /** An arrowhead pointing right: apex at (x1, yMid), base from yMid-half to yMid+half at x0. */
  arrowHead(x0: number, x1: number, yMid: number, half: number, colour: Rgba): void {
    for (let x = x0; x < x1; x++) {
      const reach = Math.round(half * (1 - (x - x0) / (x1 - x0)));
      this.fill(x, yMid - reach, x + 1, yMid + reach, colour);
    }
  }
}

const BLUE: Rgba = [15, 108, 189, 255];
const LIGHT: Rgba = [159, 199, 234, 255];
const WHITE: Rgba = [255, 255, 255, 255];

/** 192x192, full colour: a pale box (the outbound event), a white one (the real-time event), an arrow between. */
export function colorIcon(): Canvas {
  const c = new Canvas(192, 192);
  c.fill(0, 0, 192, 192, BLUE);
  c.fill(20, 52, 76, 140, LIGHT);
  c.fill(116, 52, 172, 140, WHITE);
  for (const y of [68, 88, 108]) {
    c.fill(30, y, 66, y + 8, BLUE);
    c.fill(126, y, 162, y + 8, BLUE);
  }
  c.fill(82, 90, 100, 102, WHITE);
  c.arrowHead(100, 112, 96, 14, WHITE);
  return c;
}

/** 32x32, white on transparent, as Teams requires of the outline icon. */
export function outlineIcon(): Canvas {
  const c = new Canvas(32, 32);
  c.frame(1, 8, 12, 24, 2, WHITE);
  c.fill(21, 8, 31, 24, WHITE);
  c.fill(13, 15, 16, 17, WHITE);
  c.arrowHead(16, 20, 16, 4, WHITE);
  return c;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** 8-bit RGBA, no interlace, filter 0 on every row: the simplest PNG every reader accepts. */
export function encodePng(canvas: Canvas): Buffer {
  const { width, height, pixels } = canvas;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) pixels.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function main(): void {
  const dir = process.argv[2] ?? join(packageRoot(__dirname), 'appPackage');
  writeFileSync(join(dir, 'color.png'), encodePng(colorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(outlineIcon()));
  console.log(`Wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}`);
}

if (require.main === module) main();
