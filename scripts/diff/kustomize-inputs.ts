// Every file a kustomization reads, found by following its references (resources, components, patches,
// generators…) from folder to folder. The list is deliberately a superset: every regular file directly in a
// visited kustomization folder counts too, so a field this walk does not know can only cost a needless
// rebuild, never a stale cache hit.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';

import { parse } from 'yaml';

/** File names Kustomize accepts for a kustomization, in its own lookup order. */
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface KustomizeInputs {
  /** Root-relative POSIX paths of the files read (sorted); missing referenced files are listed too. */
  readonly files: readonly string[];
  /** Referenced paths that do not exist (Kustomize will fail on them; a failed build is never cached). */
  readonly missing: readonly string[];
  /**
   * False when the build reads something outside the tree (a remote base, a Helm chart, a path above the
   * root): its output can change without any file here changing, so it must not be cached or skipped.
   */
  readonly cacheable: boolean;
}

type Ref = { readonly value: string; readonly inline?: boolean };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `github.com/org/repo//path?ref=v1`, `https://…`, `git@…`, `ssh://…`: anything Kustomize would fetch. */
const isRemote = (ref: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^git@/.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || /\?ref=/.test(ref);

/** Path-like entries of a generator (`files: [key=path]`, `envs`, `env`). */
const generatorRefs = (list: unknown): Ref[] => {
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).flatMap((g) => [
    ...strings(g.files).map((f) => ({ value: f.includes('=') ? f.slice(f.indexOf('=') + 1) : f })),
    ...strings(g.envs).map((value) => ({ value })),
    ...(typeof g.env === 'string' ? [{ value: g.env }] : []),
  ]);
};

/** `patches`, `patchesJson6902`, `replacements`: objects with an optional `path`. */
const pathFields = (list: unknown): Ref[] =>
  Array.isArray(list) ? list.filter(isRecord).flatMap((p) => (typeof p.path === 'string' ? [{ value: p.path }] : [])) : [];

/** Entries that are either a path or an inline YAML document (a newline gives the inline ones away). */
const pathOrInline = (v: unknown): Ref[] => strings(v).map((value) => ({ value, inline: value.includes('\n') }));

/** Every reference to another file or folder in one kustomization document. */
export const referencesOf = (doc: unknown): { refs: string[]; remote: boolean } => {
  if (!isRecord(doc)) return { refs: [], remote: false };
  const all: Ref[] = [
    ...strings(doc.resources).map((value) => ({ value })),
    ...strings(doc.components).map((value) => ({ value })),
    ...strings(doc.bases).map((value) => ({ value })),
    ...strings(doc.crds).map((value) => ({ value })),
    ...strings(doc.configurations).map((value) => ({ value })),
    ...pathOrInline(doc.patchesStrategicMerge),
    ...pathOrInline(doc.generators),
    ...pathOrInline(doc.transformers),
    ...pathOrInline(doc.validators),
    ...pathFields(doc.patches),
    ...pathFields(doc.patchesJson6902),
    ...pathFields(doc.replacements),
    ...generatorRefs(doc.configMapGenerator),
    ...generatorRefs(doc.secretGenerator),
    ...(isRecord(doc.openapi) && typeof doc.openapi.path === 'string' ? [{ value: doc.openapi.path }] : []),
  ];
  const refs = all.filter((r) => r.inline !== true);
  // Helm charts are fetched (or read from a chart home) at build time: never reproducible from the files here.
  const helm = doc.helmCharts !== undefined || doc.helmChartInflationGenerator !== undefined;
  return { refs: refs.filter((r) => !isRemote(r.value)).map((r) => r.value), remote: helm || refs.some((r) => isRemote(r.value)) };
};

type Kind = 'file' | 'dir' | 'missing';

const kindOf = async (abs: string): Promise<Kind> => {
  try {
    const s = await stat(abs);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
};

/** Walk the kustomization at `targetRel` (a folder, relative to `root`) and list what it reads. */
export const collectInputs = async (root: string, targetRel: string): Promise<KustomizeInputs> => {
  const files = new Set<string>();
  const missing = new Set<string>();
  const visited = new Set<string>();
  let cacheable = true;
  const abs = (rel: string): string => join(root, ...rel.split('/'));

  const visitDir = async (dirRel: string): Promise<void> => {
    if (visited.has(dirRel)) return;
    visited.add(dirRel);
    let entries;
    try {
      entries = await readdir(abs(dirRel), { withFileTypes: true });
    } catch {
      // The folder is gone at this revision: Kustomize will say so; the key still differs from a real folder.
      missing.add(dirRel);
      return;
    }
    for (const e of entries) if (e.isFile() || e.isSymbolicLink()) files.add(posix.join(dirRel, e.name));
    const name = KUSTOMIZATION_NAMES.find((n) => entries.some((e) => e.name === n));
    if (name === undefined) {
      missing.add(posix.join(dirRel, KUSTOMIZATION_NAMES[0]));
      return;
    }
    let doc: unknown;
    try {
      doc = parse(await readFile(abs(posix.join(dirRel, name)), 'utf8'));
    } catch {
      return; // Kustomize reports the broken file; its bytes are already part of the inputs.
    }
    const { refs, remote } = referencesOf(doc);
    if (remote) cacheable = false;
    for (const ref of refs) {
      const rel = posix.normalize(posix.join(dirRel, ref));
      if (rel === '..' || rel.startsWith('../') || posix.isAbsolute(ref)) {
        cacheable = false; // reads outside the tree
        continue;
      }
      const kind = await kindOf(abs(rel));
      if (kind === 'dir') await visitDir(rel);
      else if (kind === 'file') files.add(rel);
      else missing.add(rel);
    }
  };

  await visitDir(posix.normalize(targetRel));
  const sorted = (s: Set<string>): string[] => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files: sorted(files), missing: sorted(missing), cacheable };
};
