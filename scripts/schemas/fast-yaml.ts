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

const indentOf = (line: string): number => {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
};

class Parser {
  private pos = 0;

  constructor(private readonly lines: readonly string[]) {}

  /** Next line that is not blank, without consuming it; undefined at the end. */
  private peek(): { line: string; indent: number } | undefined {
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos] as string;
      const indent = indentOf(line);
      if (indent < line.length) {
        if (line.charCodeAt(indent) === 9) unsupported(); // tabs
        // A whole-line comment (the generated files' header); never reached inside a literal block.
        if (line[indent] !== '#') return { line, indent };
      }
      this.pos++;
    }
    return undefined;
  }

  document(): unknown {
    const first = this.peek();
    if (first === undefined) return null;
    if (first.indent !== 0) unsupported();
    const value = this.block(0);
    if (this.peek() !== undefined) unsupported();
    return value;
  }

  private block(indent: number): unknown {
    const next = this.peek();
    if (next === undefined || next.indent !== indent) return unsupported();
    const rest = next.line.slice(indent);
    if (rest === '-' || rest.startsWith('- ')) return this.sequence(indent);
    return this.mapping(indent, undefined);
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const next = this.peek();
      if (next === undefined || next.indent !== indent) break;
      const rest = next.line.slice(indent);
      if (rest !== '-' && !rest.startsWith('- ')) break;
      this.pos++;
      if (rest === '-') {
        const child = this.peek();
        out.push(child !== undefined && child.indent > indent ? this.block(child.indent) : null);
        continue;
      }
      const item = rest.slice(2);
      if (item === '-' || item.startsWith('- ')) unsupported(); // nested compact sequence
      if (this.isMappingEntry(item)) out.push(this.mapping(indent + 2, item));
      else out.push(this.inlineValue(item, indent));
    }
    return out;
  }

  /** Whether `text` starts a `key: value` entry (as opposed to being a scalar). */
  private isMappingEntry(text: string): boolean {
    const c = text[0];
    if (c === '"' || c === "'") {
      const q = c === '"' ? doubleQuoted(text, 0) : singleQuoted(text, 0);
      return text[q.end] === ':';
    }
    const colon = text.indexOf(': ');
    return colon > 0 || text.endsWith(':');
  }

  private key(text: string): { key: string; rest: string } {
    const c = text[0];
    if (c === '"' || c === "'") {
      const q = c === '"' ? doubleQuoted(text, 0) : singleQuoted(text, 0);
      if (text[q.end] !== ':') unsupported();
      const after = text.slice(q.end + 1);
      if (after !== '' && !after.startsWith(' ')) unsupported();
      return { key: q.value, rest: after.trimStart() };
    }
    if (c === undefined || INDICATOR_START.has(c) || c === '-' || c === '<') unsupported();
    const colon = text.indexOf(': ');
    if (colon < 0) {
      if (!text.endsWith(':')) return unsupported();
      return { key: this.plainKey(text.slice(0, -1)), rest: '' };
    }
    return { key: this.plainKey(text.slice(0, colon)), rest: text.slice(colon + 2).trimStart() };
  }

  private plainKey(key: string): string {
    if (key.includes(' #') || key.endsWith(' ') || key.includes(':')) unsupported();
    // Keys resolve like any plain scalar; only plain strings are expected from Kustomize.
    const value = resolvePlain(key);
    if (typeof value !== 'string') unsupported();
    return key;
  }

  /** A mapping at `indent`; `first` is its first entry when it follows a sequence dash on the same line. */
  private mapping(indent: number, first: string | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let pending = first;
    for (;;) {
      let text: string;
      if (pending !== undefined) {
        text = pending;
        pending = undefined;
      } else {
        const next = this.peek();
        if (next === undefined || next.indent < indent) break;
        if (next.indent > indent) unsupported();
        text = next.line.slice(indent);
        if (text === '-' || text.startsWith('- ')) break; // a sequence item of the parent
        this.pos++;
      }
      const { key, rest } = this.key(text);
      if (Object.hasOwn(out, key) || key === '__proto__') unsupported();
      out[key] = rest === '' ? this.nested(indent) : this.inlineValue(rest, indent);
    }
    return out;
  }

  /** The value of `key:` with nothing after the colon: a deeper block, a sequence at the same indent, or null. */
  private nested(indent: number): unknown {
    const next = this.peek();
    if (next === undefined) return null;
    if (next.indent > indent) return this.block(next.indent);
    if (next.indent === indent) {
      const rest = next.line.slice(indent);
      if (rest === '-' || rest.startsWith('- ')) return this.sequence(indent);
    }
    return null;
  }

  /** A value written after `key: ` or `- ` on the same line; `indent` is the owner's indent. */
  private inlineValue(text: string, indent: number): unknown {
    const c = text[0];
    let value: unknown;
    if (c === "'" && !this.endsQuote(text)) {
      return this.multiLineSingleQuoted(text, indent);
    } else if (c === '"' || c === "'") {
      const q = c === '"' ? doubleQuoted(text, 0) : singleQuoted(text, 0);
      if (text.slice(q.end).trim() !== '') unsupported();
      value = q.value;
    } else if (c === '|') {
      return this.literal(text, indent);
    } else if (text === '{}') {
      value = {};
    } else if (text === '[]') {
      value = [];
    } else {
      if (c === undefined || INDICATOR_START.has(c) || text.includes(' #') || text.includes(': ') || text.endsWith(':')) unsupported();
      if (c === '-' && (text.length === 1 || text[1] === ' ')) unsupported();
      const continued = this.plainContinuation(indent);
      value = resolvePlain(continued === undefined ? text.trimEnd() : foldLines([text.trimEnd(), ...continued]));
    }
    // A deeper line after a one-line value would continue it (a multi-line scalar): not in the subset.
    const next = this.peek();
    if (next !== undefined && next.indent > indent) unsupported();
    return value;
  }

  /**
   * Continuation lines of a plain scalar the encoder wrapped (long strings with spaces): the deeper-indented lines
   * that follow, trimmed, blank ones kept as '' for folding; undefined when the scalar ends on its first line.
   * Anything a plain continuation cannot hold (`: `, ` #`, a comment line) is outside the subset.
   */
  private plainContinuation(indent: number): string[] | undefined {
    const parts: string[] = [];
    let end = this.pos;
    let blanks = 0;
    for (let i = this.pos; i < this.lines.length; i++) {
      const line = this.lines[i] as string;
      const ind = indentOf(line);
      if (ind === line.length) {
        blanks++;
        continue;
      }
      if (ind <= indent) break;
      const text = line.slice(ind).trimEnd();
      if (line.charCodeAt(ind) === 9 || text.startsWith('#') || text.includes(': ') || text.includes(' #') || text.endsWith(':')) unsupported();
      for (; blanks > 0; blanks--) parts.push('');
      parts.push(text);
      end = i + 1;
    }
    if (parts.length === 0) return undefined;
    this.pos = end;
    return parts;
  }

  /** Whether a single-quoted scalar starting `text` closes on this line. */
  private endsQuote(text: string): boolean {
    return closingQuote(text, 1) >= 0;
  }

  /**
   * A single-quoted scalar the encoder wrapped over several lines (long strings containing `: `). Flow folding:
   * line ends are trimmed, continuation lines lose their indentation, one line break becomes a space and each
   * blank line a newline.
   */
  private multiLineSingleQuoted(first: string, indent: number): string {
    const parts: string[] = [first.slice(1).trimEnd()];
    for (;;) {
      if (this.pos >= this.lines.length) unsupported();
      const line = this.lines[this.pos] as string;
      this.pos++;
      const text = line.trimStart();
      if (text !== '' && indentOf(line) <= indent) unsupported();
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
    if (next !== undefined && next.indent > indent) unsupported();
    return out.replace(/''/g, "'");
  }

  /** `|`, `|-` or `|+` and the lines indented below it. */
  private literal(header: string, indent: number): string {
    const chomp = header === '|' ? 'clip' : header === '|-' ? 'strip' : header === '|+' ? 'keep' : unsupported();
    const body: string[] = [];
    let contentIndent = -1;
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos] as string;
      const ind = indentOf(line);
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

/**
 * The documents of a Kustomize output stream. Each document in the subset is parsed here, any other with js-yaml
 * (whose errors, such as a repeated key, propagate as YAMLException).
 */
export const loadStream = (text: string): LoadedStream => {
  if (text.includes('\r') || text.includes('\t') || /^(?:%|---[^\n]|\.\.\.)/m.test(text)) return { docs: loadAll(text), fallbacks: 1 };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the final newline ends the last line, it does not start one
  // Chunks between `---` lines; the first is a document only when it has content, the others always are.
  const chunks: Array<{ lines: string[]; explicit: boolean }> = [{ lines: [], explicit: false }];
  for (const line of lines) {
    if (line === '---') chunks.push({ lines: [], explicit: true });
    else (chunks[chunks.length - 1] as { lines: string[] }).lines.push(line);
  }
  const docs: unknown[] = [];
  let fallbacks = 0;
  for (const chunk of chunks) {
    if (!chunk.explicit && chunk.lines.every((l) => l.trim() === '')) continue;
    try {
      docs.push(new Parser(chunk.lines).document());
    } catch (error) {
      if (!(error instanceof Unsupported) && !(error instanceof SyntaxError)) throw error;
      fallbacks++;
      docs.push(load(`${chunk.lines.join('\n')}\n`) ?? null);
    }
  }
  return { docs, fallbacks };
};
