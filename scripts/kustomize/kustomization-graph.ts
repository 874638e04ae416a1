// The kustomizations an Application's build reads (its folder, every resource folder and component, recursively)
// and every input file, with content digests. Used for the build cache key, for the checks of what Kustomize
// silently accepts (duplicate keys, patches or images that match nothing), and to name the file of an object.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** Kustomization file names Kustomize accepts, in its lookup order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** A patch selector, as Kustomize reads `patches[].target`. */
export interface PatchTarget {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

export interface PatchEntry {
  readonly index: number;
  readonly target: PatchTarget;
  readonly line: number;
}

export interface ImageEntry {
  readonly index: number;
  readonly name: string;
  readonly newName?: string;
  readonly line: number;
}

export interface DuplicateKey {
  /** Dotted path of the repeated key: `spec.replicas`, `images[0].newTag`. */
  readonly key: string;
  readonly line: number;
}

export interface KustomizationNode {
  /** Repository-relative POSIX folder. */
  readonly dir: string;
  /** Repository-relative POSIX path of the kustomization file. */
  readonly file: string;
  readonly kind: string;
  readonly patches: readonly PatchEntry[];
  readonly images: readonly ImageEntry[];
  readonly duplicateKeys: readonly DuplicateKey[];
  /** Repository-relative resource files (not folders). */
  readonly resourceFiles: readonly string[];
  /** Repository-relative folders this kustomization includes (resources that are folders, and components). */
  readonly children: readonly string[];
  /** Whether it refers to something outside the repository (a URL): such a build is never cached. */
  readonly remote: boolean;
  /** Whether the kustomization could not be read or parsed (Kustomize will report it). */
  readonly unreadable?: string;
}

export interface KustomizationGraph {
  readonly nodes: readonly KustomizationNode[];
  /** sha256 over every input file (path and content); undefined when the graph is not cacheable. */
  readonly digest: string | undefined;
}

const posix = (p: string): string => p.split('\\').join('/');
const isRemote = (entry: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git@');

/** Repeated keys anywhere in a YAML document, with their lines. */
export const duplicateKeysOf = (text: string): { value: unknown; duplicates: DuplicateKey[]; seqLine: (key: string, index: number) => number } => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
  const duplicates: DuplicateKey[] = [];
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 0);
  const walk = (node: unknown, path: string): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const here = path === '' ? key : `${path}.${key}`;
        if (seen.has(key)) duplicates.push({ key: here, line: lineOf(pair.key as Node) });
        seen.add(key);
        walk(pair.value, here);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, `${path}[${i}]`));
    }
  };
  walk(doc.contents, '');
  if (doc.errors.length > 0) throw new Error(doc.errors[0]?.message ?? 'YAML error');
  /** Line of item `index` of the top-level sequence `key`. */
  const seqLine = (key: string, index: number): number => {
    const seq = doc.get(key, true) as Node | undefined;
    return isSeq(seq) ? lineOf(seq.items[index] as Node | undefined) : 0;
  };
  return { value: doc.toJS() as unknown, duplicates, seqLine };
};

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const optString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

const targetOf = (raw: unknown): PatchTarget | undefined => {
  const t = asRecord(raw);
  const out: Record<string, string> = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const v = optString(t[key]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
};

/** Reads kustomizations and files once per run; one reader can serve every Application of a tree. */
export class GraphReader {
  private readonly nodes = new Map<string, KustomizationNode | undefined>();
  private readonly digests = new Map<string, string>();

  constructor(readonly root: string) {}

  /** The graph of the kustomization in `dir` (repository-relative), with the digest of all its inputs. */
  graph(dir: string): KustomizationGraph {
    const nodes: KustomizationNode[] = [];
    const files = new Set<string>();
    let cacheable = true;
    const visit = (rel: string): void => {
      if (nodes.some((n) => n.dir === rel)) return;
      const node = this.node(rel);
      if (node === undefined) {
        cacheable = false;
        return;
      }
      nodes.push(node);
      if (node.remote || node.unreadable !== undefined) cacheable = false;
      // Everything in the folder counts as input: patch files, generator sources and the like are read by path.
      for (const f of this.folderFiles(rel)) files.add(f);
      for (const f of node.resourceFiles) files.add(f);
      for (const child of node.children) visit(child);
    };
    visit(posix(dir));
    if (!cacheable) return { nodes, digest: undefined };
    const hash = createHash('sha256');
    for (const f of [...files].sort()) hash.update(`${f}\u0000${this.digest(f)}\u0000`);
    return { nodes, digest: hash.digest('hex') };
  }

  private folderFiles(rel: string): string[] {
    try {
      return readdirSync(join(this.root, rel), { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => posix(join(rel, e.name)));
    } catch {
      return [];
    }
  }

  private digest(rel: string): string {
    let d = this.digests.get(rel);
    if (d === undefined) {
      try {
        d = createHash('sha256').update(readFileSync(join(this.root, rel))).digest('hex');
      } catch {
        d = 'missing';
      }
      this.digests.set(rel, d);
    }
    return d;
  }

  private node(rel: string): KustomizationNode | undefined {
    if (this.nodes.has(rel)) return this.nodes.get(rel);
    const node = this.readNode(rel);
    this.nodes.set(rel, node);
    return node;
  }

  private readNode(rel: string): KustomizationNode | undefined {
    const abs = join(this.root, rel);
    const name = KUSTOMIZATION_NAMES.find((n) => existsSync(join(abs, n)));
    if (name === undefined) return undefined;
    const file = posix(join(rel, name));
    const empty = { dir: rel, file, kind: 'Kustomization', patches: [], images: [], duplicateKeys: [], resourceFiles: [], children: [], remote: false };
    let parsed;
    try {
      parsed = duplicateKeysOf(readFileSync(join(abs, name), 'utf8'));
    } catch (error) {
      return { ...empty, unreadable: (error as Error).message };
    }
    const k = asRecord(parsed.value);
    const resourceFiles: string[] = [];
    const children: string[] = [];
    let remote = false;
    const local = (entry: string): string | undefined => {
      if (isRemote(entry)) {
        remote = true;
        return undefined;
      }
      const target = resolve(abs, entry);
      const relTarget = posix(relative(this.root, target));
      return relTarget.startsWith('..') ? undefined : relTarget;
    };
    for (const entry of asStrings(k.resources)) {
      const target = local(entry);
      if (target === undefined) continue;
      let isDir = false;
      try {
        isDir = statSync(join(this.root, target)).isDirectory();
      } catch {
        // Kustomize reports a missing resource itself
      }
      (isDir ? children : resourceFiles).push(target);
    }
    for (const entry of asStrings(k.components)) {
      const target = local(entry);
      if (target !== undefined) children.push(target);
    }
    // Patch files outside the folder are inputs too.
    const patchesRaw = Array.isArray(k.patches) ? k.patches : [];
    for (const p of patchesRaw) {
      const path = optString(asRecord(p).path);
      const target = path === undefined ? undefined : local(path);
      if (target !== undefined && posix(dirname(target)) !== rel) resourceFiles.push(target);
    }
    const { seqLine } = parsed;
    const patches: PatchEntry[] = [];
    patchesRaw.forEach((p, index) => {
      const target = targetOf(asRecord(p).target);
      if (target !== undefined) patches.push({ index, target, line: seqLine('patches', index) });
    });
    const images: ImageEntry[] = [];
    (Array.isArray(k.images) ? k.images : []).forEach((raw, index) => {
      const img = asRecord(raw);
      const imageName = optString(img.name);
      const newName = optString(img.newName);
      if (imageName !== undefined) images.push({ index, name: imageName, ...(newName !== undefined ? { newName } : {}), line: seqLine('images', index) });
    });
    return {
      dir: rel,
      file,
      kind: optString(k.kind) ?? 'Kustomization',
      patches,
      images,
      duplicateKeys: parsed.duplicates,
      resourceFiles,
      children,
      remote,
    };
  }
}
