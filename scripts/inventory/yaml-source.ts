// One inventory file parsed with positions: the plain data that the schema validates, plus a way
// back from a field path to the line and column a person should look at.
import { CORE_SCHEMA, load } from 'js-yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { InventoryIssue } from './errors.ts';
import { findConflictMarkers } from '../lib/conflict-markers.ts';
import { conflictMarkerIssue } from './conflict-markers.ts';
import { formatFieldPath, type FieldPath } from './field-path.ts';
import { explainYamlErrors } from './yaml-structure-errors.ts';

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Point at a field's key (unknown/misspelled keys) or at its value (everything else). */
export type Target = 'key' | 'value';

export interface YamlSource {
  readonly file: string;
  /** The document as plain data; `undefined` when YAML errors make the structure untrustworthy. */
  readonly data: unknown;
  /** YAML-level problems: syntax errors, duplicate keys, recursive aliases. */
  readonly issues: readonly InventoryIssue[];
  /** Where `path` is; when part of it does not exist, the deepest part that does (the parent mapping). */
  position(path: FieldPath, target: Target): Position;
  /** The source text of a plain (unquoted) scalar at `path`, e.g. `1.10` where the data holds 1.1. */
  plainScalarSource(path: FieldPath): string | undefined;
  /** Every plain (unquoted) scalar, keys included, in document order; none when the YAML is broken. */
  plainScalars(): readonly PlainScalar[];
}

export interface PlainScalar {
  /** The field the scalar is (a value) or names (a key). */
  readonly path: FieldPath;
  readonly target: Target;
  /** As written. */
  readonly text: string;
  /** What YAML 1.2 (this loader) reads. */
  readonly value: unknown;
  readonly line: number;
  readonly col: number;
}

const START: Position = { line: 1, col: 1 };

type AnyNode = Node | Pair | null | undefined;

/** The string a mapping key becomes in the plain data (what ajv and the checks see). */
function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined; // collection keys are never valid inventory keys; matching them is not worth it
}

interface Found {
  /** The node at the path (after alias resolution), or undefined when a segment was missing. */
  readonly node: AnyNode;
  /** The key node of the last map step, when the last step was a map lookup. */
  readonly key: AnyNode;
  /** The deepest node that exists along the path. */
  readonly deepest: AnyNode;
  readonly complete: boolean;
}

function resolve(doc: Document, node: AnyNode): AnyNode {
  // An alias points at an anchored node elsewhere; positions then point at the anchor, which is
  // where the value is written.
  return isAlias(node) ? node.resolve(doc) : node;
}

function findNode(doc: Document, path: FieldPath): Found {
  let node: AnyNode = resolve(doc, doc.contents);
  let key: AnyNode;
  let deepest: AnyNode = node;
  for (const seg of path) {
    let next: AnyNode;
    let nextKey: AnyNode;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (pair === undefined) return { node: undefined, key: undefined, deepest, complete: false };
      nextKey = pair.key as AnyNode;
      next = pair.value as AnyNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg] as AnyNode;
      if (next === undefined) return { node: undefined, key: undefined, deepest, complete: false };
    } else {
      return { node: undefined, key: undefined, deepest, complete: false };
    }
    node = resolve(doc, next);
    key = nextKey;
    // `key:` with no value has no value node; the key is then the best place to point.
    deepest = node ?? nextKey ?? deepest;
  }
  return { node, key, deepest, complete: true };
}

const startOf = (node: AnyNode): number | undefined => {
  if (node === null || node === undefined || isPair(node)) return undefined;
  return node.range?.[0];
};

/** True when the data contains itself (a YAML alias to an enclosing anchor), which nothing downstream can walk. */
function isRecursive(value: unknown, ancestors: Set<unknown> = new Set()): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  // YAML 1.1 documents (`%YAML 1.1`) can hold sets and ordered maps as well as plain objects.
  const children: unknown[] =
    value instanceof Map ? [...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  const found = children.some((child) => isRecursive(child, ancestors));
  ancestors.delete(value);
  return found;
}

/**
 * The yaml library composes nodes recursively; some hundreds of nesting levels exhaust the stack,
 * and V8 can then abort the whole process (a fatal "RegExpCompiler Allocation failed"), which no
 * try/catch survives. An inventory nests a handful of levels, so refuse absurd depth up front.
 */
const MAX_NESTING = 200;

/**
 * Offset of the first line whose nesting may exceed MAX_NESTING, or undefined. An over-estimate by
 * design: block depth is bounded by indentation plus the indicators (`- `, `? `, `: `) on the line,
 * doubled for indentless sequences; flow depth by the open brackets so far, quotes and all.
 */
function tooDeepAt(text: string): number | undefined {
  let flow = 0;
  let offset = 0;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    let indicators = 0;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      const next = line[i + 1];
      if (ch === '[' || ch === '{') flow++;
      else if (ch === ']' || ch === '}') flow = Math.max(0, flow - 1);
      // Only `- `, `? `, `: ` (or at the end of the line) can open a nested node; `eu-west-1` cannot.
      else if ((ch === '-' || ch === '?' || ch === ':') && (next === undefined || next === ' ' || next === '\t')) {
        indicators++;
      }
      if (2 * (indent + indicators) + flow > MAX_NESTING) return offset;
    }
    offset += line.length + 1;
  }
  return undefined;
}

/** The result for a file too deeply nested to parse safely: one issue, no data. */
function tooDeep(file: string, text: string, offset: number): YamlSource {
  const line = text.slice(0, offset).split('\n').length;
  return unreadable(file, {
    file,
    line,
    col: 1,
    field: '(root)',
    message: `YAML nested too deeply (over ${MAX_NESTING} levels by line ${line}); an inventory file needs only a few`,
  });
}

/** A file not parsed at all: its one issue, no data, every position at that issue's line. */
function unreadable(file: string, issue: InventoryIssue): YamlSource {
  const line = issue.line;
  return {
    file,
    data: undefined,
    issues: [issue],
    position: () => ({ line, col: 1 }),
    plainScalarSource: () => undefined,
    plainScalars: () => [],
  };
}

/**
 * Anchors, aliases, tags, directives and complex keys: YAML features an inventory never needs, whose edge cases
 * (alias expansion limits, recursive data) only the positioned parser handles. Matched loosely: a false match
 * (e.g. `*` inside a string) only means the slower parser reads the file.
 */
const UNCOMMON_SYNTAX = /(?:^|[\s[{,])[&*!]\S|^%|^\s*\?(?:\s|$)|(?:^|\s)<<\s*:/m;

/**
 * The fast path for a well-formed file: js-yaml (YAML 1.2 core schema, as `yaml` reads it; a differential test
 * holds the two to the same values) is several times faster than building `yaml`'s positioned document, which
 * only error messages need. Undefined when js-yaml refuses the text (syntax errors, duplicate keys, an empty or
 * multi-document file) or it uses uncommon syntax: the positioned parser then reads it and reports the problems.
 */
export function loadFast(text: string): { data: unknown } | undefined {
  if (UNCOMMON_SYNTAX.test(text)) return undefined;
  try {
    return { data: load(text, { schema: CORE_SCHEMA }) };
  } catch {
    return undefined;
  }
}

/** Parse one inventory file. Never throws: every problem becomes an issue. */
export function parseYamlSource(file: string, text: string): YamlSource {
  // Before any parsing: a parser reads `<<<<<<< HEAD` as a key and reports symptoms, never the markers.
  const conflict = findConflictMarkers(text);
  if (conflict !== undefined) return unreadable(file, conflictMarkerIssue(file, conflict));
  const deep = tooDeepAt(text);
  if (deep !== undefined) return tooDeep(file, text, deep);
  const fast = loadFast(text);
  if (fast !== undefined) {
    // Positions are needed only to report a problem: the positioned parse runs then, once.
    let positioned: YamlSource | undefined;
    const slow = (): YamlSource => (positioned ??= parsePositioned(file, text));
    return {
      file,
      data: fast.data,
      issues: [],
      position: (path, target) => slow().position(path, target),
      plainScalarSource: (path) => slow().plainScalarSource(path),
      plainScalars: () => slow().plainScalars(),
    };
  }
  return parsePositioned(file, text);
}

/** `yaml`'s document with a line counter: data, YAML-level issues, and positions for every field. */
function parsePositioned(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // prettyErrors off: positions come from the line counter, messages stay one line.
  // logLevel 'error': the library would otherwise print warnings (e.g. stringified keys) to stderr.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error', uniqueKeys: true });
  const at = (offset: number | undefined): Position => (offset === undefined ? START : lineCounter.linePos(offset));
  const issues: InventoryIssue[] = [];
  const issue = (pos: Position, field: FieldPath, message: string): void => {
    issues.push({ file, line: pos.line, col: pos.col, field: formatFieldPath(field), message });
  };

  // One issue per broken file, at the line to change: the parser's own errors are mostly follow-ons of the first.
  if (doc.errors.length > 0) issues.push(explainYamlErrors(file, text, doc, lineCounter));

  let data: unknown;
  if (issues.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // The library throws on alias "billion laughs" expansion; report it like any other YAML error.
      issue(START, [], `YAML error: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (issues.length === 0 && isRecursive(data)) {
      issue(START, [], 'YAML error: an alias refers to a value that contains it (recursive data)');
    }
    if (issues.length > 0) data = undefined;
  }

  return {
    file,
    data,
    issues,
    position(path: FieldPath, target: Target): Position {
      const found = findNode(doc, path);
      if (!found.complete) return at(startOf(found.deepest));
      if (target === 'key' && found.key) return at(startOf(found.key));
      // An empty value (`region:`) has a zero-width node at the end of the line; the key is clearer.
      const range = isScalar(found.node) ? found.node.range : undefined;
      const empty = range !== undefined && range !== null && range[0] === range[1];
      return at((empty ? undefined : startOf(found.node)) ?? startOf(found.key) ?? startOf(found.node));
    },
    plainScalarSource(path: FieldPath): string | undefined {
      const { node, complete } = findNode(doc, path);
      if (!complete || !isScalar(node) || node.type !== 'PLAIN') return undefined;
      return node.source ?? (node.range ? text.slice(node.range[0], node.range[1]) : undefined);
    },
    plainScalars(): readonly PlainScalar[] {
      if (issues.length > 0) return [];
      const out: PlainScalar[] = [];
      const add = (node: unknown, path: FieldPath, target: Target): void => {
        if (!isScalar(node) || node.type !== 'PLAIN' || node.range === undefined || node.range === null) return;
        const source = node.source ?? text.slice(node.range[0], node.range[1]);
        out.push({ path, target, text: source, value: node.value, ...at(node.range[0]) });
      };
      // Aliases are skipped: the anchored node they point at is visited where it is written.
      const walk = (node: unknown, path: FieldPath): void => {
        if (isMap(node)) {
          for (const pair of node.items) {
            const key = keyText(pair.key);
            if (key === undefined) continue;
            add(pair.key, [...path, key], 'key');
            walk(pair.value, [...path, key]);
          }
        } else if (isSeq(node)) {
          node.items.forEach((item, i) => walk(item, [...path, i]));
        } else add(node, path, 'value');
      };
      walk(doc.contents, []);
      return out;
    },
  };
}
