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

/** A one-line scalar (keys too). */
const scalar = (v: unknown, at: string): string => {
  if (typeof v === 'string') return isPlain(v) ? v : quoted(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot serialise non-finite number at ${at}`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  throw new Error(`cannot serialise ${typeof v} at ${at}`);
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

const isEmptyCollection = (v: Value): boolean =>
  (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => (v as Record<string, unknown>)[k] === undefined));

/** The text after `key:` or `- ` for a value: inline scalar, or a newline and a nested block. */
const after = (v: Value, pad: string, compare: (a: string, b: string) => number, at: string): string => {
  if (typeof v === 'string' && literalOk(v)) return ` ${literalBlock(v, `${pad}  `)}`;
  if (v === null || typeof v !== 'object') return ` ${scalar(v, at)}\n`;
  if (isEmptyCollection(v)) return Array.isArray(v) ? ' []\n' : ' {}\n';
  return `\n${block(v, `${pad}  `, compare, at)}`;
};

const entries = (o: Record<string, unknown>, compare: (a: string, b: string) => number): [string, unknown][] =>
  Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort(compare)
    .map((k) => [k, o[k]]);

/** A non-empty mapping or sequence at indentation `pad`. */
const block = (v: object, pad: string, compare: (a: string, b: string) => number, at: string): string => {
  let out = '';
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const where = `${at}[${i}]`;
      if (item !== null && typeof item === 'object' && !Array.isArray(item) && !isEmptyCollection(item)) {
        // `- first: …` then the other keys aligned under it.
        const nested = block(item, `${pad}  `, compare, where);
        out += `${pad}- ${nested.slice(pad.length + 2)}`;
      } else if (Array.isArray(item) && item.length > 0) {
        out += `${pad}-\n${block(item, `${pad}  `, compare, where)}`;
      } else {
        out += `${pad}-${after(item, pad, compare, where)}`;
      }
    });
    return out;
  }
  for (const [k, val] of entries(v as Record<string, unknown>, compare)) {
    const where = `${at}.${k}`;
    const arrayChild = Array.isArray(val) && val.length > 0;
    // Sequences under a key are indented by two, like js-yaml and kubectl print them.
    out += `${pad}${scalar(k, where)}:${arrayChild ? `\n${block(val, `${pad}  `, compare, where)}` : after(val, pad, compare, where)}`;
  }
  return out;
};

/**
 * One YAML document for a JSON value, keys ordered by `compare`, members whose value is `undefined` dropped.
 * Throws on values YAML cannot carry faithfully (functions, symbols, non-finite numbers, undefined in arrays).
 */
export const emitYaml = (value: unknown, compare: (a: string, b: string) => number): string => {
  if (value === null || typeof value !== 'object') return after(value, '', compare, '$').slice(1);
  if (isEmptyCollection(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  return block(value, '', compare, '$');
};
