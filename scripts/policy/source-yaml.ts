// A failed build blamed on the file that caused it. Kustomize refuses a resource file that repeats a key, but its
// message names neither the file nor the path (`yaml: unmarshal errors: line 7: mapping key "x" already defined
// at line 6`, Kustomize v5.5.0), so `kustomize/build-failed` alone sends the reader hunting through every file of
// the Application. When a build fails, the resource files it reads are scanned for repeated keys, each reported
// as `schema/yaml` on its file with the line and the key. Keys are compared by their text, as the decoder does
// (`ni.Kind == nj.Kind && ni.Value == nj.Value`, so `1` and "1" repeat each other). Checked: go-yaml/yaml @
// v3.0.1 : decode.go (the message, line 776).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';

import type { KustomizationGraph } from '../kustomize/kustomization-graph.ts';
import type { RawFinding } from './types.ts';

export interface RepeatedKey {
  /** Dotted path of the repeated key inside its document: `data.x`, `spec.containers[0].name`. */
  readonly key: string;
  /** 1-based line of the second (and each later) occurrence. */
  readonly line: number;
  /** 1-based line of the first occurrence. */
  readonly firstLine: number;
  /** 1-based document of a multi-document file. */
  readonly doc: number;
}

/** Every key repeated in a map of a (multi-document) YAML text; syntax errors are left to Kustomize's message. */
export const repeatedKeys = (text: string): RepeatedKey[] => {
  const lineCounter = new LineCounter();
  const out: RepeatedKey[] = [];
  const lineOf = (node: unknown): number => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : 0;
  };
  const walk = (node: unknown, path: string, doc: number): void => {
    if (isMap(node)) {
      const first = new Map<string, number>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const here = path === '' ? key : `${path}.${key}`;
        const seen = first.get(key);
        if (seen !== undefined) out.push({ key: here, line: lineOf(pair.key), firstLine: seen, doc });
        else first.set(key, lineOf(pair.key));
        walk(pair.value, here, doc);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, `${path}[${i}]`, doc));
    }
  };
  parseAllDocuments(text, { uniqueKeys: false, lineCounter }).forEach((d, i) => walk(d.contents, '', i + 1));
  return out;
};

/** Repeated keys per repository-relative file, read once per run: many Applications share a base. */
export type RepeatedKeyMemo = Map<string, readonly RepeatedKey[]>;

/** `schema/yaml` findings for each repeated key in the resource files a failed build reads. */
export const sourceRepeatedKeys = (root: string, graph: KustomizationGraph, memo: RepeatedKeyMemo = new Map()): RawFinding[] => {
  const files = [...new Set(graph.nodes.flatMap((n) => n.resourceFiles))];
  const out: RawFinding[] = [];
  for (const file of files) {
    let found = memo.get(file);
    if (found === undefined) {
      try {
        found = repeatedKeys(readFileSync(join(root, file), 'utf8'));
      } catch {
        found = []; // unreadable: Kustomize's own message says so
      }
      memo.set(file, found);
    }
    for (const r of found) {
      const where = r.doc > 1 ? ` (document ${r.doc})` : '';
      out.push({ rule: 'schema/yaml', file, line: r.line, field: r.key, message: `key ${r.key}${where} repeats the one on line ${r.firstLine}: Kustomize refuses the file, so the Application does not build` });
    }
  }
  return out;
};
