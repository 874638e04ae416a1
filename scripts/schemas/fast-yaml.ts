// A parser for the YAML that Kustomize prints, and nothing more. Kustomize's encoder writes one regular subset:
// block mappings and sequences (sequence dashes at the parent key's indent), plain and single-quoted scalars (also
// wrapped over several lines), one-line double-quoted scalars, literal block scalars, `{}` and `[]`. Parsing only
// that, line by line, is several times faster than a general YAML parser, and parsing is most of the time
// `validate` spends outside Kustomize.
//
// It never guesses: anything outside the subset (anchors, tags, flow collections, folded scalars, wrapped plain
// scalars holding `: ` or ` #`, wrapped double-quoted scalars, comments, repeated keys…) makes it give up and
// return undefined, and the caller parses the stream with js-yaml. Scalars resolve exactly as js-yaml's default
// (YAML 1.2 core) schema does; a differential test holds it to that.

import { load, loadAll } from 'js-yaml';

class Unsupported extends Error {}

const unsupported = (): never => {
  throw new Unsupported();
};

const INT = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+)$/;
const FLOAT = /^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** A plain scalar as the YAML 1.2 core schema reads it (null, bool, int, float, else string). */
export const resolvePlain = (s: string): unknown => {
  switch (s) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = s.charCodeAt(0);
  // Only digits, signs and dots can start a number.
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return s;
  if (INT.test(s)) {
    const sign = s[0] === '-' ? -1 : 1;
    const body = s[0] === '-' || s[0] === '+' ? s.slice(1) : s;
    const n = body.startsWith('0o') ? parseInt(body.slice(2), 8) : body.startsWith('0x') ? parseInt(body.slice(2), 16) : parseInt(body, 10);
    const value = sign * n;
    if (Number.isFinite(value)) return value;
  }
  if (FLOAT.test(s)) {
    let v = s.toLowerCase();
    const sign = v[0] === '-' ? -1 : 1;
    if (v[0] === '-' || v[0] === '+') v = v.slice(1);
    if (v === '.inf') return sign * Infinity;
    if (v === '.nan') return NaN;
    const value = sign * parseFloat(v);
    if (Number.isFinite(value)) return value;
  }
  return s;
};

/** Characters that change a plain scalar's meaning when they start it. */
const INDICATOR_START = new Set(['&', '*', '!', '%', '@', '`', '?', '#', '|', '>', '{', '[', ']', '}', ',', '"', "'"]);

const JSON_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

/** A double-quoted scalar that ends on its line; `end` is the index after the closing quote. */
const doubleQuoted = (line: string, start: number): { value: string; end: number } => {
  let i = start + 1;
  let plain = true;
  for (; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') {
      plain = false;
      const next = line[i + 1];
      // YAML has escapes JSON lacks (\x, \e, \N, \_, \0, …): leave those to the full parser.
      if (next === undefined || !JSON_ESCAPES.has(next)) unsupported();
      i++;
    } else if (ch === '"') break;
  }
  if (i >= line.length) unsupported(); // continues on the next line
  const raw = line.slice(start, i + 1);
  return { value: plain ? raw.slice(1, -1) : (JSON.parse(raw) as string), end: i + 1 };
};

const singleQuoted = (line: string, start: number): { value: string; end: number } => {
  let i = start + 1;
  let out = '';
  for (; i < line.length; i++) {
    if (line[i] === "'") {
      if (line[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    out += line[i];
  }
  return unsupported();
};

/**
 * Flow folding of a scalar's lines (already trimmed): one line break becomes a space, each blank line a newline;
 * breaks after the last non-blank part are kept as newlines (they only occur inside quotes).
 */
const foldLines = (parts: readonly string[]): string => {
  let out = parts[0] as string;
  let breaks = 0;
  for (const part of parts.slice(1)) {
    if (part === '') {
      breaks++;
      continue;
    }
    out += breaks > 0 ? '\n'.repeat(breaks) : ' ';
    breaks = 0;
    out += part;
  }
  return breaks > 0 ? out + '\n'.repeat(breaks) : out;
};

/** Index of the quote closing a single-quoted scalar (`''` is an escaped quote), or -1. */
const closingQuote = (text: string, from: number): number => {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
};

const SPACE = 32;
const DASH = 45;

/** Whether a sequence dash starts at `i` (`-` alone, or `- ` and an item). */
const isDash = (line: string, i: number): boolean =>
  line.charCodeAt(i) === DASH && (i + 1 === line.length || line.charCodeAt(i + 1) === SPACE);

// The parser works on offsets into each line instead of slicing it at every step: it runs over every line of
// every build output, and the slices (and small result objects) it used to make were most of the garbage `validate`
// collects. YAML trims only spaces and tabs, JavaScript's `trim` any Unicode white space: a line where the two would
// differ (a no-break space at the edge of a value) is left to js-yaml.

/** Index of the first character of `line` from `from` that `trimStart` keeps (`line.length` when none). */
const trimStartIndex = (line: string, from: number): number => {
  let i = from;
  while (line.charCodeAt(i) === SPACE) i++;
  if (i >= line.length) return line.length;
  const c = line.charCodeAt(i);
  if (c > SPACE && c < 127) return i;
  if (line.length - line.slice(i).trimStart().length !== i) unsupported();
  return i;
};

/** End of `line` from `start` after `trimEnd`. */
const trimEndIndex = (line: string, start: number): number => {
  let end = line.length;
  while (end > start && line.charCodeAt(end - 1) === SPACE) end--;
  if (end === start) return start;
  const c = line.charCodeAt(end - 1);
  if (c > SPACE && c < 127) return end;
  if (start + line.slice(start, end).trimEnd().length !== end) unsupported();
  return end;
};

class Parser {
  private pos: number;
  /** Where the value after the last key read by `key()` starts in its line (the line's length when none). */
  private restAt = 0;

  /** Lines `start` to `end` (exclusive) of `lines`, with the count of leading spaces of each line in `indents`. */
  constructor(
    private readonly lines: readonly string[],
    private readonly indents: Int32Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  /** Next line that is not blank, without consuming it; -1 at the end. */
  private peek(): number {
    while (this.pos < this.end) {
      const line = this.lines[this.pos] as string;
      const indent = this.indents[this.pos] as number;
      if (indent < line.length) {
        const c = line.charCodeAt(indent);
        if (c === 9) unsupported(); // tabs
        // A whole-line comment (the generated files' header); never reached inside a literal block.
        if (c !== 35) return this.pos;
      }
      this.pos++;
    }
    return -1;
  }

  private indentAt(p: number): number {
    return this.indents[p] as number;
  }

  document(): unknown {
    const first = this.peek();
    if (first < 0) return null;
    if (this.indentAt(first) !== 0) unsupported();
    const value = this.block(0);
    if (this.peek() >= 0) unsupported();
    return value;
  }

  private block(indent: number): unknown {
    const next = this.peek();
    if (next < 0 || this.indentAt(next) !== indent) return unsupported();
    if (isDash(this.lines[next] as string, indent)) return this.sequence(indent);
    return this.mapping(indent, undefined);
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const next = this.peek();
      if (next < 0 || this.indentAt(next) !== indent) break;
      const line = this.lines[next] as string;
      if (!isDash(line, indent)) break;
      this.pos++;
      if (line.length === indent + 1) {
        const child = this.peek();
        out.push(child >= 0 && this.indentAt(child) > indent ? this.block(this.indentAt(child)) : null);
        continue;
      }
      const item = indent + 2;
      if (isDash(line, item)) unsupported(); // nested compact sequence
      if (line.charCodeAt(item) === SPACE) unsupported(); // `-   key: v`: the item's indent is not `indent + 2`
      // The item's first entry starts at `item`, the indent of the mapping it opens.
      if (this.isMappingEntry(line, item)) out.push(this.mapping(item, line));
      else out.push(this.inlineValue(line, item, indent));
    }
    return out;
  }

  /** Whether the text of `line` from `at` starts a `key: value` entry (as opposed to being a scalar). */
  private isMappingEntry(line: string, at: number): boolean {
    const c = line[at];
    if (c === '"' || c === "'") {
      const q = c === '"' ? doubleQuoted(line, at) : singleQuoted(line, at);
      return line[q.end] === ':';
    }
    return line.indexOf(': ', at) > at || (at < line.length && line.endsWith(':'));
  }

  /** The key of the entry at `at` in `line`; sets `restAt` to where its value starts. */
  private key(line: string, at: number): string {
    const c = line[at];
    if (c === '"' || c === "'") {
      const q = c === '"' ? doubleQuoted(line, at) : singleQuoted(line, at);
      if (line[q.end] !== ':') unsupported();
      const after = q.end + 1;
      if (after < line.length && line.charCodeAt(after) !== SPACE) unsupported();
      this.restAt = trimStartIndex(line, after);
      return q.value;
    }
    if (c === undefined || INDICATOR_START.has(c) || c === '-' || c === '<') unsupported();
    const colon = line.indexOf(': ', at);
    if (colon < 0) {
      if (!line.endsWith(':')) return unsupported();
      this.restAt = line.length;
      return this.plainKey(line.slice(at, -1));
    }
    this.restAt = trimStartIndex(line, colon + 2);
    return this.plainKey(line.slice(at, colon));
  }

  private plainKey(key: string): string {
    if (key.includes(' #') || key.endsWith(' ') || key.includes(':')) unsupported();
    // Keys resolve like any plain scalar; only plain strings are expected from Kustomize.
    const value = resolvePlain(key);
    if (typeof value !== 'string') unsupported();
    return key;
  }

  /** A mapping at `indent`; `first` is the line of its first entry when it follows a sequence dash on that line. */
  private mapping(indent: number, first: string | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let pending = first;
    for (;;) {
      let line: string;
      if (pending !== undefined) {
        line = pending;
        pending = undefined;
      } else {
        const next = this.peek();
        if (next < 0 || this.indentAt(next) < indent) break;
        if (this.indentAt(next) > indent) unsupported();
        line = this.lines[next] as string;
        if (isDash(line, indent)) break; // a sequence item of the parent
        this.pos++;
      }
      const key = this.key(line, indent);
      const rest = this.restAt;
      if (Object.hasOwn(out, key) || key === '__proto__') unsupported();
      out[key] = rest >= line.length ? this.nested(indent) : this.inlineValue(line, rest, indent);
    }
    return out;
  }

  /** The value of `key:` with nothing after the colon: a deeper block, a sequence at the same indent, or null. */
  private nested(indent: number): unknown {
    const next = this.peek();
    if (next < 0) return null;
    const at = this.indentAt(next);
    if (at > indent) return this.block(at);
    if (at === indent && isDash(this.lines[next] as string, indent)) return this.sequence(indent);
    return null;
  }

  /** A value written from `start` in `line`, after `key: ` or `- `; `indent` is the owner's indent. */
  private inlineValue(line: string, start: number, indent: number): unknown {
    const c = line[start];
    let value: unknown;
    if (c === "'" && closingQuote(line, start + 1) < 0) {
      return this.multiLineSingleQuoted(line.slice(start), indent);
    } else if (c === '"' || c === "'") {
      const q = c === '"' ? doubleQuoted(line, start) : singleQuoted(line, start);
      if (trimStartIndex(line, q.end) < line.length) unsupported();
      value = q.value;
    } else if (c === '|') {
      return this.literal(line.slice(start), indent);
    } else if (line.length - start === 2 && c === '{' && line[start + 1] === '}') {
      value = {};
    } else if (line.length - start === 2 && c === '[' && line[start + 1] === ']') {
      value = [];
    } else {
      if (c === undefined || INDICATOR_START.has(c) || line.indexOf(' #', start) >= 0 || line.indexOf(': ', start) >= 0 || line.endsWith(':')) unsupported();
      if (isDash(line, start)) unsupported();
      const text = line.slice(start, trimEndIndex(line, start));
      const continued = this.plainContinuation(indent);
      value = resolvePlain(continued === undefined ? text : foldLines([text, ...continued]));
    }
    // A deeper line after a one-line value would continue it (a multi-line scalar): not in the subset.
    const next = this.peek();
    if (next >= 0 && this.indentAt(next) > indent) unsupported();
    return value;
  }

  /**
   * Continuation lines of a plain scalar the encoder wrapped (long strings with spaces): the deeper-indented lines
   * that follow, trimmed, blank ones kept as '' for folding; undefined when the scalar ends on its first line.
   * Anything a plain continuation cannot hold (`: `, ` #`, a comment line) is outside the subset.
   */
  private plainContinuation(indent: number): string[] | undefined {
    let parts: string[] | undefined;
    let end = this.pos;
    let blanks = 0;
    for (let i = this.pos; i < this.end; i++) {
      const line = this.lines[i] as string;
      const ind = this.indentAt(i);
      if (ind === line.length) {
        blanks++;
        continue;
      }
      if (ind <= indent) break;
      const text = line.slice(ind, trimEndIndex(line, ind));
      if (line.charCodeAt(ind) === 9 || text.startsWith('#') || text.includes(': ') || text.includes(' #') || text.endsWith(':')) unsupported();
      parts ??= [];
      for (; blanks > 0; blanks--) parts.push('');
      parts.push(text);
      end = i + 1;
    }
    if (parts === undefined) return undefined;
    this.pos = end;
    return parts;
  }

  /**
   * A single-quoted scalar the encoder wrapped over several lines (long strings containing `: `). Flow folding:
   * line ends are trimmed, continuation lines lose their indentation, one line break becomes a space and each
   * blank line a newline.
   */
  private multiLineSingleQuoted(first: string, indent: number): string {
    const parts: string[] = [first.slice(1).trimEnd()];
    for (;;) {
      if (this.pos >= this.end) unsupported();
      const line = this.lines[this.pos] as string;
      const lineIndent = this.indentAt(this.pos);
      this.pos++;
      const text = line.trimStart();
      if (text !== '' && lineIndent <= indent) unsupported();
      const close = closingQuote(text, 0);
      if (close < 0) {
        parts.push(text.trimEnd());
        continue;
      }
      if (text.slice(close + 1).trim() !== '') unsupported();
      parts.push(text.slice(0, close));
      break;
    }
    const out = foldLines(parts);
    const next = this.peek();
    if (next >= 0 && this.indentAt(next) > indent) unsupported();
    return out.replace(/''/g, "'");
  }

  /** `|`, `|-` or `|+` and the lines indented below it. */
  private literal(header: string, indent: number): string {
    const chomp = header === '|' ? 'clip' : header === '|-' ? 'strip' : header === '|+' ? 'keep' : unsupported();
    const body: string[] = [];
    let contentIndent = -1;
    while (this.pos < this.end) {
      const line = this.lines[this.pos] as string;
      const ind = this.indentAt(this.pos);
      if (ind === line.length) {
        body.push('');
        this.pos++;
        continue;
      }
      if (ind <= indent) break;
      if (contentIndent < 0) contentIndent = ind;
      if (ind < contentIndent) unsupported();
      body.push(line.slice(contentIndent));
      this.pos++;
    }
    // Blank lines at the end belong to chomping, not content (and blank lines inside keep their place).
    let last = body.length;
    while (last > 0 && body[last - 1] === '') last--;
    const content = body.slice(0, last).join('\n');
    if (chomp === 'strip') return content;
    if (chomp === 'clip') return last === 0 ? '' : `${content}\n`;
    return last === 0 ? body.map(() => '\n').join('') : `${content}\n${body.slice(last).map(() => '\n').join('')}`;
  }
}

export interface LoadedStream {
  readonly docs: unknown[];
  /** Documents outside the subset, parsed by js-yaml instead. */
  readonly fallbacks: number;
}

/** A directive (`%`), a document end (`...`) or a start marker with content after it (`--- x`), anywhere. */
const MARKERS = /^(?:%|---[^\n]|\.\.\.)/m;

/**
 * The documents of a Kustomize output stream. Each document in the subset is parsed here, any other with js-yaml
 * (whose errors, such as a repeated key, propagate as YAMLException).
 */
export const loadStream = (text: string): LoadedStream => {
  if (text.includes('\r') || text.includes('\t')) return { docs: loadAll(text), fallbacks: 1 };
  // U+2028 and U+2029 also start lines for the marker expression: leave such text to it (never seen in output).
  const otherBreaks = text.includes('\u2028') || text.includes('\u2029');
  if (otherBreaks && MARKERS.test(text)) return { docs: loadAll(text), fallbacks: 1 };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the final newline ends the last line, it does not start one
  // One pass: each line's indent, the markers (which hand the whole stream to js-yaml), and the `---` lines that
  // split documents. The first chunk is a document only when it has content, the others always are.
  const indents = new Int32Array(lines.length);
  const starts: number[] = [0];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const c = line.charCodeAt(0);
    if (c === SPACE) {
      let n = 1;
      while (line.charCodeAt(n) === SPACE) n++;
      indents[i] = n;
    } else if (!otherBreaks && (c === 37 || (c === 46 && line.startsWith('...')))) {
      return { docs: loadAll(text), fallbacks: 1 };
    } else if (c === DASH && line.startsWith('---')) {
      if (line.length > 3) {
        if (!otherBreaks) return { docs: loadAll(text), fallbacks: 1 };
      } else starts.push(i + 1);
    }
  }
  const docs: unknown[] = [];
  let fallbacks = 0;
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k] as number;
    // A chunk ends at the `---` line that starts the next one.
    const end = k + 1 < starts.length ? (starts[k + 1] as number) - 1 : lines.length;
    if (k === 0 && lines.slice(start, end).every((l) => l.trim() === '')) continue;
    try {
      docs.push(new Parser(lines, indents, start, end).document());
    } catch (error) {
      if (!(error instanceof Unsupported) && !(error instanceof SyntaxError)) throw error;
      fallbacks++;
      docs.push(load(`${lines.slice(start, end).join('\n')}\n`) ?? null);
    }
  }
  return { docs, fallbacks };
};
