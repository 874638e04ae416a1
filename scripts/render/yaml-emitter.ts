// The YAML emitter behind every generated file. Generated values are plain JSON (strings, numbers, booleans,
// null, arrays, objects), so a block-style emitter with one conservative quoting rule is enough — and several
// times faster than a general one (js-yaml inspects every character of every string to pick among five styles;
// on a fleet of 1,000 clusters that was most of `pnpm gen`).
//
// The rule: a string is written plain only when no YAML 1.1 or 1.2 reader (go-yaml in Kustomize and Argo CD,
// js-yaml, `yaml`) can read it as anything but that string; multi-line strings become literal blocks; everything
// else is double-quoted with JSON escapes, which YAML's double-quoted style accepts. A differential test holds the
// output to "parses back to the same value" with js-yaml and with `yaml` in both 1.1 and 1.2 modes.

/**
 * Starts with a letter, `_`, `/`, `$` or `-` and a letter (a flag such as `-c`); then printable ASCII, where `:` must not precede a space or the end, `#`
 * must not follow a space, and spaces are single and inner. No indicator can start it and no comment or mapping
 * can hide inside it, in block context (generated files never use flow collections).
 */
const PLAIN = /^(?:[A-Za-z_/$]|-(?=[A-Za-z]))(?:[!"$-9;-~]|:(?=[!-~])|(?<=[!-~])#| (?=[!"$-~]))*$/;

/** Kubernetes quantities and similar (`250m`, `1.5Gi`): digits then a letter suffix that cannot make a number. */
const QUANTITY_LIKE = /^[0-9]+(?:\.[0-9]+)?(?![eExXoObB_])[A-Za-z]+$/;

/** Release versions with two or more dots (`4.11.3`, `1.27.3-alpine`): no reader's number pattern takes two dots. */
const VERSION_LIKE = /^[0-9]+\.[0-9]+(?:\.[0-9]+)+(?:[-+][0-9A-Za-z.-]+)?$/;

/** Percentages (`25%`) and IPv4 addresses or CIDRs (`0.0.0.0/0`): `%` and a third dot rule out every number pattern. */
const PERCENT_OR_CIDR = /^(?:[0-9]+%|[0-9]+(?:\.[0-9]+){3}(?:\/[0-9]+)?)$/;
/** Relative paths (`../apps`, `./x`): a leading dot followed by `.` or `/` is never `.inf`/`.nan`. */
const RELATIVE_PATH = /^\.\.?\/[!"$-9;-~]*$/;

/** Words some YAML reader resolves to a boolean or null (YAML 1.1 included), compared case-insensitively. */
const RESERVED = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null']);

/** Characters YAML does not allow raw in a double-quoted scalar (C0 handled by JSON.stringify, DEL and C1 here). */
const NON_PRINTABLE = /[\x7f-\x84\x86-\x9f]/g;
/** Characters that rule out a literal block: anything non-printable except tab and line feed, and CR. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_LITERAL = /[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufeff]/;

const quoted = (s: string): string =>
  JSON.stringify(s).replace(NON_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `E0`, `e10`: a bare exponent that lenient YAML 1.1 float patterns (the `yaml` package's) read as a number. */
const BARE_EXPONENT = /^[eE][-+]?[0-9_]+$/;

const isPlain = (s: string): boolean => (PLAIN.test(s) && !RESERVED.has(s.toLowerCase()) && !BARE_EXPONENT.test(s)) || QUANTITY_LIKE.test(s) || VERSION_LIKE.test(s) || PERCENT_OR_CIDR.test(s) || RELATIVE_PATH.test(s);

/**
 * A value YAML cannot carry. Thrown without a location; each enclosing block adds its key or index on the way out,
 * so the hot path never builds location strings for values that are fine.
 */
class EmitError extends Error {
  constructor(
    readonly what: string,
    readonly path: string = '',
  ) {
    super(what);
  }
}

const at = (error: unknown, step: string): unknown => (error instanceof EmitError ? new EmitError(error.what, step + error.path) : error);

/** Strings repeat across a render (keys, labels, names): their written form is computed once. */
const plainCache = new Map<string, string>();
const CACHEABLE_LENGTH = 128;

const scalarString = (s: string): string => {
  if (s.length > CACHEABLE_LENGTH) return isPlain(s) ? s : quoted(s);
  let text = plainCache.get(s);
  if (text === undefined) {
    text = isPlain(s) ? s : quoted(s);
    // Bounded: a render has far fewer distinct short strings than this.
    if (plainCache.size > 100_000) plainCache.clear();
    plainCache.set(s, text);
  }
  return text;
};

/** A one-line scalar (keys too). */
const scalar = (v: unknown): string => {
  if (typeof v === 'string') return scalarString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new EmitError('cannot serialise non-finite number');
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  throw new EmitError(`cannot serialise ${typeof v}`);
};

/** Whether a multi-line string can be a literal block that reads back byte for byte with every reader. */
const literalOk = (s: string): boolean =>
  s.includes('\n') && /[^\n]/.test(s) && !NOT_LITERAL.test(s) && !s.endsWith('\n\n') && !WHITESPACE_LINE.test(s);

/** A line of only spaces or tabs: readers disagree whether it is content or an empty line of the block. */
const WHITESPACE_LINE = /(^|\n)[ \t]+(\n|$)/;

/**
 * `|` (one final newline) or `|-` (none), with an indentation indicator when the first line would otherwise
 * set the block's indentation (leading spaces or an empty first line).
 */
const literalBlock = (s: string, pad: string): string => {
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const lines = body.split('\n');
  const first = lines[0]!;
  const indicator = first === '' || first.startsWith(' ') ? '2' : '';
  const header = `|${indicator}${s.endsWith('\n') ? '' : '-'}`;
  return `${header}\n${lines.map((l) => (l === '' ? '' : pad + l)).join('\n')}\n`;
};

type Value = unknown;
type Compare = (a: string, b: string) => number;

/** Above this many keys a mapping is sorted with Array#sort; below, insertion sort (no comparator overhead). */
const INSERTION_SORT_MAX = 12;

/** The defined keys of a mapping, in `compare` order. */
const keysOf = (o: Record<string, unknown>, compare: Compare): string[] => {
  const all = Object.keys(o);
  const keys: string[] = [];
  for (let i = 0; i < all.length; i++) if (o[all[i]!] !== undefined) keys.push(all[i]!);
  if (keys.length > INSERTION_SORT_MAX) return keys.sort(compare);
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && compare(keys[j]!, k) > 0) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
};

/**
 * Appends the text after `key:` or `- ` for a non-collection value: inline scalar or literal block. Output goes
 * into one array joined once per document: `+=` would leave every file a tree of thousands of string fragments
 * that all survive into the old generation (on 1,000 clusters, most of the render's garbage-collection time).
 */
const pushScalar = (out: string[], v: Value, pad: string): void => {
  if (typeof v === 'string' && v.length > 1 && literalOk(v)) out.push(` ${literalBlock(v, `${pad}  `)}`);
  else out.push(` ${scalar(v)}\n`);
};

/**
 * Appends a mapping or sequence at indentation `pad`. `lead` is what the first line starts with instead of `pad`:
 * `- ` for the first key of a mapping inside a sequence. Empty collections are written inline by the caller.
 */
const block = (out: string[], v: object, pad: string, compare: Compare, lead: string): void => {
  let first = lead;
  const inner = `${pad}  `;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item: Value = v[i];
      try {
        if (item !== null && typeof item === 'object') {
          if (Array.isArray(item)) {
            if (item.length > 0) {
              out.push(`${first}-\n`);
              block(out, item, inner, compare, inner);
            } else out.push(`${first}- []\n`);
          } else if (keysOf(item as Record<string, unknown>, compare).length > 0) {
            // `- first: …` then the other keys aligned under it.
            block(out, item, inner, compare, `${first}- `);
          } else out.push(`${first}- {}\n`);
        } else {
          out.push(`${first}-`);
          pushScalar(out, item, pad);
        }
      } catch (error) {
        throw at(error, `[${i}]`);
      }
      first = pad;
    }
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of keysOf(o, compare)) {
    const val = o[k];
    try {
      out.push(`${first}${scalar(k)}:`);
      if (val !== null && typeof val === 'object') {
        // Sequences under a key are indented by two, like js-yaml and kubectl print them.
        const empty = Array.isArray(val) ? val.length === 0 : keysOf(val as Record<string, unknown>, compare).length === 0;
        if (empty) out.push(Array.isArray(val) ? ' []\n' : ' {}\n');
        else {
          out.push('\n');
          block(out, val, inner, compare, inner);
        }
      } else pushScalar(out, val, pad);
    } catch (error) {
      throw at(error, `.${k}`);
    }
    first = pad;
  }
};

/**
 * One YAML document for a JSON value, keys ordered by `compare`, members whose value is `undefined` dropped.
 * Throws on values YAML cannot carry faithfully (functions, symbols, non-finite numbers, undefined in arrays).
 */
export const emitYaml = (value: unknown, compare: Compare): string => {
  try {
    if (value === null || typeof value !== 'object') {
      const out: string[] = [];
      pushScalar(out, value, '');
      return out.join('').slice(1);
    }
    if (Array.isArray(value) ? value.length === 0 : keysOf(value as Record<string, unknown>, compare).length === 0) {
      return Array.isArray(value) ? '[]\n' : '{}\n';
    }
    const out: string[] = [];
    block(out, value, '', compare, '');
    return out.join('');
  } catch (error) {
    if (error instanceof EmitError) throw new Error(`${error.what} at $${error.path}`, { cause: error });
    throw error;
  }
};
