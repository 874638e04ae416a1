// YAML structure mistakes in words a newcomer reads: one issue per broken file, at the line a person has to
// change. The parser's own errors are symptoms: one over-indented key makes the value above it a multi-line
// key and every later sibling "misaligned", so it reports many errors, none on the culprit line. Instead, this
// looks for the one line whose re-indentation makes the file parse (and says which key it must line up with),
// then names duplicate keys where they landed, and only then translates the parser's first error.
// Checked: eemeli/yaml @ v2.9.0 (package.json pins ^2.9.1; 2.9.1 has no tag in the mirror) : src/errors.ts (ErrorCode),
// src/compose/resolve-block-map.ts (DUPLICATE_KEY is reported at the end of the previous value, not at the key;
// BAD_INDENT "All mapping items must start at the same column"; MULTILINE_IMPLICIT_KEY), src/compose/resolve-props.ts
// (TAB_AS_INDENT), src/compose/resolve-flow-scalar.ts (MISSING_CHAR "Missing closing quote").
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair, Scalar, YAMLError, YAMLMap } from 'yaml';
import type { InventoryIssue } from './errors.ts';
import { formatFieldPath, type FieldPath } from './field-path.ts';

interface Line {
  /** 0-based index into the file's lines. */
  readonly index: number;
  readonly text: string;
  /** Columns of leading whitespace (a tab counts as one). */
  readonly indent: number;
  /** The key the line starts (after any `- `), or undefined for list values, scalars and the like. */
  readonly key: string | undefined;
  /** 0-based column where that key starts. */
  readonly keyCol: number;
}

const KEY_LINE = /^([ \t]*)((?:- +)*)([^\s#'"[{-][^:#]*?|"[^"]*"|'[^']*'):(?:[ \t]|$)/;

function describeLine(index: number, text: string): Line | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const indent = text.length - text.trimStart().length;
  const m = KEY_LINE.exec(text);
  if (m === null) return { index, text, indent, key: undefined, keyCol: indent };
  return { index, text, indent, key: m[3], keyCol: (m[1] ?? '').length + (m[2] ?? '').length };
}

const parse = (text: string): { doc: Document; lines: LineCounter } => {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false, logLevel: 'silent', uniqueKeys: true }), lines };
};

/**
 * Depth first through the mappings and lists under `node`, in document order: `enterMap` is called once per mapping
 * and returns what to do with each of its pairs (scalar keys only), before the walk goes into that pair's value. The
 * first result that is not undefined ends the walk.
 */
function firstInPairs<T>(
  node: unknown,
  path: FieldPath,
  enterMap: (map: YAMLMap) => (pair: Pair<Scalar>, index: number, keyPath: FieldPath) => T | undefined,
): T | undefined {
  if (isMap(node)) {
    const onPair = enterMap(node);
    for (const [i, pair] of node.items.entries()) {
      if (!isScalar(pair.key)) continue;
      const here = [...path, String(pair.key.value)];
      const found = onPair(pair as Pair<Scalar>, i, here) ?? firstInPairs(pair.value, here, enterMap);
      if (found !== undefined) return found;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const found = firstInPairs(item, [...path, i], enterMap);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The field path of the key (or list item) that starts at `offset`, in a document that parsed. */
function pathStartingAt(doc: Document, offset: number): FieldPath | undefined {
  return firstInPairs(doc.contents, [], () => (pair, _i, here) => (pair.key.range?.[0] === offset ? here : undefined));
}

/** "keys of one cluster" / "keys under `destination:`" / "top-level keys": which keys must line up. */
function siblingsWords(path: FieldPath | undefined): string {
  if (path === undefined || path.length <= 1) return 'top-level keys';
  const parent = path[path.length - 2];
  const grand = path[path.length - 3];
  if (typeof parent === 'number') return grand === 'clusters' ? 'keys of one cluster' : `keys of one \`${String(grand)}\` item`;
  return `keys under \`${parent}:\``;
}

/** Where a key landed: "the cluster's own keys" / "the keys under `destination:`" / "the top-level keys". */
function levelWords(path: FieldPath): string {
  if (path.length <= 1) return 'the top-level keys';
  const parent = path[path.length - 2];
  const grand = path[path.length - 3];
  if (typeof parent === 'number') return grand === 'clusters' ? "the cluster's own keys" : `the \`${String(grand)}\` item's own keys`;
  return `the keys under \`${parent}:\``;
}

const spaces = (n: number): string => `${n} space${n === 1 ? '' : 's'}`;
const show = (line: Line): string => (line.key !== undefined ? `\`${line.key}:\`` : `\`${line.text.trim()}\``);

const MAX_COLUMNS_TRIED = 6;

interface Repair {
  readonly line: Line;
  readonly to: number;
  /** The moved key's field in the repaired file. */
  readonly path: FieldPath;
}

/**
 * The one line near the first error whose re-indentation (to a column some key above it starts at) makes the file
 * parse. Tried nearest-first around the error; the column of the key just above comes first.
 */
function findRepair(lines: readonly (Line | undefined)[], rawLines: readonly string[], errorLine: number): Repair | undefined {
  const step = indentStep(rawLines);
  const order = [0, 1, -1, 2, -2, 3];
  for (const delta of order) {
    const line = lines[errorLine + delta];
    // Only a line that starts a key can be re-indented into place; moving anything else tends to "fix" the file by
    // making it part of the value above (`region local` as the second line of `environment: dev`).
    if (line?.key === undefined) continue;
    const above = lines.slice(0, line.index).filter((l): l is Line => l !== undefined);
    const previous = above[above.length - 1];
    // Where keys above start, and one step in from the line above (the first key under a `key:` that opens a block).
    const nested = previous === undefined ? undefined : previous.keyCol + step;
    const columns = [...new Set([previous?.keyCol, nested, ...above.map((l) => l.keyCol)].filter((c): c is number => c !== undefined))]
      .filter((c) => c !== line.indent)
      .sort((a, b) => (a === previous?.keyCol ? -1 : b === previous?.keyCol ? 1 : Math.abs(a - line.indent) - Math.abs(b - line.indent)))
      // Each try re-parses the file; the nearest few columns are where a slipped line belongs.
      .slice(0, MAX_COLUMNS_TRIED);
    for (const to of columns) {
      const fixedLine = ' '.repeat(to) + rawLines[line.index]?.trimStart();
      const fixedText = [...rawLines.slice(0, line.index), fixedLine, ...rawLines.slice(line.index + 1)].join('\n');
      const { doc, lines: counter } = parse(fixedText);
      if (doc.errors.length > 0) continue;
      const offset = counter.lineStarts[line.index] ?? 0;
      const path = pathStartingAt(doc, offset + to + (line.keyCol - line.indent));
      // The moved line must still be a key in the repaired file, not text swallowed by a scalar.
      if (path !== undefined) return { line, to, path };
    }
  }
  return undefined;
}

function repairIssue(file: string, lines: readonly (Line | undefined)[], repair: Repair): InventoryIssue {
  const { line, to, path } = repair;
  const newKeyCol = to + (line.keyCol - line.indent);
  const above = lines.slice(0, line.index).filter((l): l is Line => l !== undefined).reverse();
  // The key it must line up with: the nearest above at the target column, before the lines leave that level.
  const sibling = above.find((l, i) => l.keyCol === newKeyCol && above.slice(0, i).every((m) => m.keyCol >= newKeyCol));
  const parent = above.find((l) => l.keyCol < newKeyCol);
  const tab = /^[ ]*\t/.test(line.text);
  const d = Math.abs(line.indent - to);
  const fix = tab
    ? `replace the indentation with ${spaces(to)} (YAML indents with spaces only, never tabs)`
    : line.indent > to
      ? `remove ${spaces(d)} before ${show(line)}`
      : `indent ${show(line)} by ${spaces(d)} more`;
  let what: string;
  if (tab) what = `${show(line)} is indented with a tab`;
  else if (sibling !== undefined) {
    what =
      `${show(line)} is indented ${line.indent > to ? 'more' : 'less'} than ${show(sibling)} on line ${sibling.index + 1}; ` +
      `${siblingsWords(path)} must line up`;
  } else if (parent !== undefined && line.indent < to) {
    what = `${show(line)} is not indented under ${show(parent)} on line ${parent.index + 1}`;
  } else what = `${show(line)} does not line up with the keys above it`;
  return { file, line: line.index + 1, col: tab ? 1 : line.indent + 1, field: formatFieldPath(path), message: `${what}: ${fix}` };
}

/** Each mapping key that repeats an earlier key of the same mapping, with both key nodes. */
function findDuplicate(doc: Document): { path: FieldPath; first: Node; second: Node; before: { key: Node; empty: boolean } | undefined } | undefined {
  return firstInPairs(doc.contents, [], (map) => {
    const seen = new Map<string, Node>();
    return (pair, i, here) => {
      const key = String(pair.key.value);
      const first = seen.get(key);
      if (first !== undefined) {
        const prev = map.items[i - 1];
        const empty = prev !== undefined && (prev.value === null || (isScalar(prev.value) && prev.value.value === null));
        const before = prev !== undefined && isScalar(prev.key) && !isPair(prev.key) ? { key: prev.key, empty } : undefined;
        return { path: here, first, second: pair.key, before };
      }
      seen.set(key, pair.key);
      return undefined;
    };
  });
}

function duplicateIssue(file: string, doc: Document, counter: LineCounter, text: string): InventoryIssue | undefined {
  const dup = findDuplicate(doc);
  if (dup === undefined) return undefined;
  const at = (n: Node): { line: number; col: number } => counter.linePos(n.range?.[0] ?? 0);
  const second = at(dup.second);
  const firstLine = at(dup.first).line;
  const name = String(dup.path[dup.path.length - 1]);
  const field = formatFieldPath(dup.path);
  const where = levelWords(dup.path);
  if (dup.before?.empty === true) {
    // `destination:` left empty right above: the repeated key was meant to be its child, one level deeper.
    const parent = at(dup.before.key);
    const parentName = isScalar(dup.before.key) ? String(dup.before.key.value) : '';
    const step = indentStep(text.split('\n'));
    return {
      file,
      line: second.line,
      col: second.col,
      field,
      message:
        `\`${name}:\` landed among ${where}, where \`${name}:\` is already set on line ${firstLine}, ` +
        `leaving \`${parentName}:\` on line ${parent.line} empty: did you mean to indent it by ${spaces(step)}, under \`${parentName}:\`?`,
    };
  }
  return {
    file,
    line: second.line,
    col: second.col,
    field,
    message: `\`${name}:\` is set twice among ${where} (first on line ${firstLine}): keep one, or indent it under the key it belongs to`,
  };
}

/** The file's indentation step (2 almost always): the smallest positive indent of a line. */
function indentStep(rawLines: readonly string[]): number {
  let step = Infinity;
  for (const line of rawLines) {
    const n = line.length - line.trimStart().length;
    const spacesOnly = !line.slice(0, n).includes('\t');
    if (n > 0 && spacesOnly && line.trim() !== '' && !line.trimStart().startsWith('#')) step = Math.min(step, n);
  }
  return Number.isFinite(step) ? step : 2;
}

/**
 * The field a broken `key: value` line sets, found by parsing the file with that line's value replaced by a plain
 * word (an unclosed quote or a stray `: ` is then gone); `(file)` when the rest of the file is broken too.
 */
function fieldOfLine(rawLines: readonly string[], index: number): string {
  const line = describeLine(index, rawLines[index] ?? '');
  if (line?.key === undefined) return '(file)';
  const prefix = (rawLines[index] ?? '').slice(0, line.keyCol + line.key.length + 1);
  const { doc, lines } = parse([...rawLines.slice(0, index), `${prefix} x`, ...rawLines.slice(index + 1)].join('\n'));
  if (doc.errors.length > 0) return '(file)';
  const path = pathStartingAt(doc, (lines.lineStarts[index] ?? 0) + line.keyCol);
  return path === undefined ? '(file)' : formatFieldPath(path);
}

/** The nearest line at or before `index` (0-based) that is not a comment and passes `test`; `index` when none does. */
function lastLineAtOrBefore(rawLines: readonly string[], index: number, test: (line: string) => boolean): number {
  for (let i = Math.min(index, rawLines.length - 1); i >= 0; i--) {
    const line = rawLines[i] ?? '';
    if (!line.trimStart().startsWith('#') && test(line)) return i;
  }
  return index;
}

/** Opening minus closing flow brackets on a line, outside quotes (good enough to find an unclosed `[`). */
function bracketBalance(line: string): number {
  let balance = 0;
  let quote: string | undefined;
  for (const ch of line) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') break;
    else if (ch === '[' || ch === '{') balance++;
    else if (ch === ']' || ch === '}') balance--;
  }
  return balance;
}

/** The parser's first error in words, on its line, when no single re-indentation explains it. */
function translated(file: string, err: YAMLError, counter: LineCounter, rawLines: readonly string[]): InventoryIssue {
  const pos = counter.linePos(err.pos[0]);
  const text = rawLines[pos.line - 1] ?? '';
  const issue = (message: string, line = pos.line): InventoryIssue => ({
    file,
    line,
    col: line === pos.line ? pos.col : 1,
    field: fieldOfLine(rawLines, line - 1),
    message,
  });
  const tabLine = rawLines.findIndex((l) => /^[ ]*\t/.test(l) && l.trim() !== '');
  if (err.code === 'TAB_AS_INDENT' || tabLine >= 0) {
    const line = tabLine >= 0 ? tabLine + 1 : pos.line;
    return issue('this line is indented with a tab; YAML indents with spaces only: replace the tab with spaces', line);
  }
  if (err.code === 'MISSING_CHAR' && /quote/i.test(err.message)) {
    const quote = err.message.includes("'") ? "'" : '"';
    // The parser notices at the end of the quoted text (often the end of the file); the mistake is where it opens.
    const opened = lastLineAtOrBefore(rawLines, pos.line - 1, (l) => l.split(quote).length % 2 === 0);
    return issue(`a value opens a ${quote} quote that is never closed: add the closing ${quote} at the end of the value`, opened + 1);
  }
  if (err.code === 'MULTIPLE_DOCS') {
    return issue('a `---` line starts a second YAML document; an inventory file holds one: remove the `---` and what follows, or merge it');
  }
  if (/flow (sequence|mapping|collection)/i.test(err.message) || err.code === 'BLOCK_IN_FLOW') {
    const opened = lastLineAtOrBefore(rawLines, pos.line - 1, (l) => bracketBalance(l) > 0);
    return issue('a `[` or `{` on this line is not closed: add the matching `]` or `}` at the end of the line', opened + 1);
  }
  if (/compact mapping/i.test(err.message) && /:\s.*:(\s|$)/.test(text)) {
    return issue('this value contains `: ` (a colon and a space), which YAML reads as another key: put the value in double quotes');
  }
  if (err.code === 'MULTILINE_IMPLICIT_KEY' && !/:(\s|$)/.test(text.replace(/#.*$/, '')) && text.trim() !== '') {
    return issue(`\`${text.trim()}\` has no \`:\` after its key: write \`key: value\` (a colon and a space after the key)`);
  }
  return issue(
    'YAML cannot read the file from this line on: check that this line lines up with the keys above it ' +
      'and that every quote and bracket it opens is closed',
  );
}

/**
 * One plain-words issue for a file the parser rejected (`doc.errors` not empty), at the line to change.
 * `doc` and `counter` are the failed parse of `text`.
 */
export function explainYamlErrors(file: string, text: string, doc: Document, counter: LineCounter): InventoryIssue {
  const first = doc.errors[0];
  const rawLines = text.split('\n');
  const lines = rawLines.map((t, i) => describeLine(i, t.replace(/\r$/, '')));
  if (doc.errors.every((e) => e.code === 'DUPLICATE_KEY')) {
    const dup = duplicateIssue(file, doc, counter, text);
    if (dup !== undefined) return dup;
  }
  if (first === undefined) {
    return { file, line: 1, col: 1, field: '(file)', message: 'YAML cannot read this file' };
  }
  const errorLine = counter.linePos(first.pos[0]).line - 1;
  const repair = findRepair(lines, rawLines, errorLine);
  if (repair !== undefined) return repairIssue(file, lines, repair);
  return translated(file, first, counter, rawLines);
}
