/**
 * Masks a secret in text a service sent back, in whatever form the text carries it: as is, JSON-escaped
 * (`\u002B`, `\/`), percent-encoded in either case, as an HTML character reference, or base64 of it (either
 * alphabet, at any alignment inside longer base64). Any run of 16 characters or more of the secret is masked,
 * so not even a part of it (its first 16 characters, say) survives. The text is read as decoded characters
 * but masked in its original form, so a JSON body stays JSON.
 */

const MASK = '***';
const MIN_RUN = 16;

interface Unit {
  ch: string;
  start: number;
  end: number;
}

export function maskSecret(text: string, secret: string): string {
  if (!secret || !text) return text;
  const units = decodeUnits(text);
  const decoded = units.map((u) => u.ch).join('');
  const forms = secretForms(secret);
  // Spans of the original text: runs found in the decoded characters, and in the text as it is (a secret
  // that itself looks like an escape, `\"` or `%00`, is only found there).
  const spans = [
    ...forms.flatMap((form) => runsOf(decoded, form)).map(([from, to]) => [units[from].start, units[to - 1].end]),
    ...forms.flatMap((form) => runsOf(text, form)),
  ].sort((x, y) => x[0] - y[0]);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0; // the next character of `text` to copy
  for (const [from, to] of spans) {
    if (to <= at) continue;
    out += from >= at ? text.slice(at, from) + MASK : '';
    at = to;
  }
  return out + text.slice(at);
}

/** The text as a list of characters, each with the span of the original text that spelled it. */
function decodeUnits(text: string): Unit[] {
  const units: Unit[] = [];
  const patterns: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/\\u([0-9a-fA-F]{4})/y, (m) => String.fromCharCode(parseInt(m[1], 16))],
    [/\\x([0-9a-fA-F]{2})/y, (m) => String.fromCharCode(parseInt(m[1], 16))],
    [/\\([\\/"'])/y, (m) => m[1]],
    [/%([0-9a-fA-F]{2})/y, (m) => String.fromCharCode(parseInt(m[1], 16))],
    [/&#x([0-9a-fA-F]{1,4});/y, (m) => String.fromCharCode(parseInt(m[1], 16))],
    [/&#([0-9]{1,5});/y, (m) => String.fromCharCode(Number(m[1]))],
  ];
  let i = 0;
  outer: while (i < text.length) {
    if (text[i] === '\\' || text[i] === '%' || text[i] === '&') {
      for (const [pattern, decode] of patterns) {
        pattern.lastIndex = i;
        const m = pattern.exec(text);
        if (m) {
          units.push({ ch: decode(m), start: i, end: i + m[0].length });
          i += m[0].length;
          continue outer;
        }
      }
    }
    units.push({ ch: text[i], start: i, end: i + 1 });
    i++;
  }
  return units;
}

/** The secret, and the parts of its base64 that do not depend on what surrounds it, in both alphabets. */
function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // the first group mixes in the bytes before, the last one the bytes after (or padding)
    const head = shift === 0 ? 0 : 4;
    const tail = (shift + bytes.length) % 3 === 0 ? 0 : 4;
    const stable = b64.slice(head, b64.length - tail);
    if (stable.length >= MIN_RUN) {
      forms.add(stable);
      forms.add(stable.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

/** [from, to) ranges of `decoded` that are runs of at least MIN_RUN characters of `form` (or all of it). */
function runsOf(decoded: string, form: string): Array<[number, number]> {
  const width = Math.min(MIN_RUN, form.length);
  const grams = new Map<string, number>();
  for (let k = 0; k + width <= form.length; k++)
    if (!grams.has(form.substr(k, width))) grams.set(form.substr(k, width), k);
  const runs: Array<[number, number]> = [];
  let p = 0;
  while (p + width <= decoded.length) {
    const offset = grams.get(decoded.substr(p, width));
    if (offset === undefined) {
      p++;
      continue;
    }
    let q = p + width;
    while (q < decoded.length && offset + (q - p) < form.length && decoded[q] === form[offset + (q - p)]) q++;
    runs.push([p, q]);
    p = q;
  }
  return runs;
}
