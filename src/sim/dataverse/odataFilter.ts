/**
 * The subset of OData $filter the simulated Dataverse understands: `eq`/`ne` against a GUID, number, string,
 * true/false or null; `contains(column,'text')` (case-insensitive, as Dataverse); `and`, `or`, `not` and
 * parentheses. Anything else is a syntax error, answered 400 as Dataverse would.
 */

export type SimRow = Record<string, unknown>;
export type Predicate = (row: SimRow) => boolean;

export class FilterSyntaxError extends Error {}

type Token = { kind: 'word' | 'string' | 'punct'; text: string };

const TOKEN = /\s*(?:('(?:[^']|'')*')|([(),])|([A-Za-z0-9_.$\-{}]+))/y;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) throw new FilterSyntaxError(`Syntax error at position ${at} in '${text}'.`);
    if (m[1] !== undefined) out.push({ kind: 'string', text: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2] !== undefined) out.push({ kind: 'punct', text: m[2] });
    else out.push({ kind: 'word', text: m[3] });
    at = TOKEN.lastIndex;
  }
  return out;
}

type Literal = string | number | boolean | null;

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

function literalOf(token: Token): Literal {
  if (token.kind === 'string') return token.text;
  const w = token.text;
  if (w === 'null') return null;
  if (w === 'true') return true;
  if (w === 'false') return false;
  if (GUID.test(w)) return w.replace(/^\{|\}$/g, '').toLowerCase();
  if (/^-?\d+(\.\d+)?$/.test(w)) return Number(w);
  throw new FilterSyntaxError(`'${w}' is not a value this filter understands.`);
}

function same(value: unknown, literal: Literal): boolean {
  if (literal === null) return value === null || value === undefined;
  if (typeof literal === 'string' && typeof value === 'string') return value.toLowerCase() === literal.toLowerCase();
  return value === literal;
}

export function parseFilter(text: string): Predicate {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (!t) throw new FilterSyntaxError(`The filter '${text}' ends too early.`);
    return t;
  };
  const expect = (punct: string) => {
    const t = next();
    if (t.kind !== 'punct' || t.text !== punct) throw new FilterSyntaxError(`Expected '${punct}' in '${text}'.`);
  };
  const isWord = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toLowerCase() === w;

  function orExpr(): Predicate {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      next();
      const l = left;
      const r = andExpr();
      left = (row) => l(row) || r(row);
    }
    return left;
  }
  function andExpr(): Predicate {
    let left = unary();
    while (isWord(peek(), 'and')) {
      next();
      const l = left;
      const r = unary();
      left = (row) => l(row) && r(row);
    }
    return left;
  }
  function unary(): Predicate {
    if (isWord(peek(), 'not')) {
      next();
      const inner = unary();
      return (row) => !inner(row);
    }
    return primary();
  }
  function primary(): Predicate {
    const t = next();
    if (t.kind === 'punct' && t.text === '(') {
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (t.kind !== 'word') throw new FilterSyntaxError(`Unexpected '${t.text}' in '${text}'.`);
    if (t.text.toLowerCase() === 'contains' && peek()?.text === '(') {
      expect('(');
      const column = next();
      expect(',');
      const needle = next();
      expect(')');
      if (column.kind !== 'word' || needle.kind !== 'string')
        throw new FilterSyntaxError(`contains() takes a column and a string in '${text}'.`);
      const lower = needle.text.toLowerCase();
      return (row) => {
        const v = row[column.text];
        return typeof v === 'string' && v.toLowerCase().includes(lower);
      };
    }
    const op = next();
    const value = literalOf(next());
    const column = t.text;
    if (isWord(op, 'eq')) return (row) => same(row[column], value);
    if (isWord(op, 'ne')) return (row) => !same(row[column], value);
    throw new FilterSyntaxError(`The operator '${op.text}' is not supported here.`);
  }

  const predicate = orExpr();
  if (i < tokens.length) throw new FilterSyntaxError(`Unexpected '${tokens[i].text}' in '${text}'.`);
  return predicate;
}
