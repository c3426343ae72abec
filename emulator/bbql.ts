// A subset of Bitbucket's query language (BBQL) for `q=` and `sort=`:
// `field op value` with = != ~ !~ > >= < <=, AND / OR, parentheses; dotted fields; quoted strings,
// numbers, true / false / null and bare date-times as values.

type Value = string | number | boolean | null;
type Expr = { kind: "cmp"; field: string; op: string; value: Value } | { kind: "and" | "or"; left: Expr; right: Expr };

export class QueryError extends Error {}

/** Deeper nesting is refused: the parser recurses once per parenthesis. */
export const MAX_NESTING = 32;

const TOKEN = /\s*(?:(\()|(\))|("(?:[^"\\]|\\.)*")|(!=|>=|<=|!~|=|~|>|<)|([^\s()"=!~<>]+))/y;

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < q.length) {
    if (/^\s*$/.test(q.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(q);
    if (!m) throw new QueryError(`Invalid query near: ${q.slice(TOKEN.lastIndex)}`);
    tokens.push(m[0].trim());
  }
  return tokens;
}

function parseValue(token: string): Value {
  if (token.startsWith('"')) {
    try {
      return JSON.parse(token) as string;
    } catch {
      throw new QueryError(`Invalid string (bad escape sequence): ${token}`);
    }
  }
  if (token === "true") return true;
  if (token === "false") return false;
  if (token === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  return token;
}

export function parseQuery(q: string): Expr {
  const tokens = tokenize(q);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    if (i >= tokens.length) throw new QueryError("Unexpected end of query");
    return tokens[i++];
  };
  let depth = 0;
  const atom = (): Expr => {
    if (peek() === "(") {
      next();
      if (++depth > MAX_NESTING) throw new QueryError(`Parentheses nested deeper than ${MAX_NESTING}`);
      const e = or();
      if (next() !== ")") throw new QueryError("Expected )");
      depth--;
      return e;
    }
    const field = next();
    if (!/^[A-Za-z_][\w.]*$/.test(field)) throw new QueryError(`Invalid field: ${field}`);
    const op = next();
    if (!["=", "!=", "~", "!~", ">", ">=", "<", "<="].includes(op)) throw new QueryError(`Invalid operator: ${op}`);
    return { kind: "cmp", field, op, value: parseValue(next()) };
  };
  const and = (): Expr => {
    let e = atom();
    while (peek()?.toUpperCase() === "AND") {
      next();
      e = { kind: "and", left: e, right: atom() };
    }
    return e;
  };
  const or = (): Expr => {
    let e = and();
    while (peek()?.toUpperCase() === "OR") {
      next();
      e = { kind: "or", left: e, right: and() };
    }
    return e;
  };
  const expr = or();
  if (i !== tokens.length) throw new QueryError(`Unexpected token: ${tokens[i]}`);
  return expr;
}

export function fieldValue(obj: unknown, field: string): unknown {
  // Own properties only: a field named `constructor` or `__proto__` is a field the object lacks.
  return field.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined), obj);
}

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Orders two field values; date-times compare as instants whatever their notation. */
export function compareValues(a: unknown, b: unknown): number {
  if (a == null || b == null) return a == b ? 0 : a == null ? -1 : 1;
  if (typeof a === "string" && typeof b === "string" && DATE.test(a) && DATE.test(b)) return Date.parse(a) - Date.parse(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function matches(obj: unknown, e: Expr): boolean {
  if (e.kind !== "cmp") return e.kind === "and" ? matches(obj, e.left) && matches(obj, e.right) : matches(obj, e.left) || matches(obj, e.right);
  const actual = fieldValue(obj, e.field);
  const contains = () =>
    String(actual ?? "")
      .toLowerCase()
      .includes(String(e.value).toLowerCase());
  switch (e.op) {
    case "=":
      return e.value === null ? actual == null : compareValues(actual, e.value) === 0 && actual != null;
    case "!=":
      return e.value === null ? actual != null : !(actual != null && compareValues(actual, e.value) === 0);
    case "~":
      return contains();
    case "!~":
      return !contains();
    case ">":
      return actual != null && compareValues(actual, e.value) > 0;
    case ">=":
      return actual != null && compareValues(actual, e.value) >= 0;
    case "<":
      return actual != null && compareValues(actual, e.value) < 0;
    default:
      return actual != null && compareValues(actual, e.value) <= 0;
  }
}

export function filterByQuery<T>(items: T[], q: string | null): T[] {
  if (!q) return items;
  const expr = parseQuery(q);
  return items.filter((item) => matches(item, expr));
}

/** `sort=field` ascending, `sort=-field` descending; a stable sort keeps the default order among ties. */
export function sortByField<T>(items: T[], sort: string | null): T[] {
  if (!sort) return items;
  const desc = sort.startsWith("-");
  const field = desc ? sort.slice(1) : sort;
  if (!/^[A-Za-z_][\w.]*$/.test(field)) throw new QueryError(`Invalid sort field: ${field}`);
  return [...items].sort((a, b) => (desc ? -1 : 1) * compareValues(fieldValue(a, field), fieldValue(b, field)));
}
