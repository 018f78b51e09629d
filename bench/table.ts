import type { Row } from './row';

/** The rows as a plain-text table (also valid Markdown), the form the README quotes. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'measure', 'bot', 'baseline', 'target', 'met'];
  const lines = rows.map((r) => [
    r.benchmark,
    r.measure,
    `${fmt(r.bot)} ${r.unit}`,
    `${fmt(r.baseline)} ${r.unit} (${r.baselineName})`,
    r.target,
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n');
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
