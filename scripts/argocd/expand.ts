// From the objects the root Application applies to the Applications Argo CD will hold: plain Applications as they
// are, ApplicationSets expanded, every one summarised and checked. Pure apart from the optional folder lookup, so
// tests can feed handmade objects.
import { statSync } from 'node:fs';
import { join, posix } from 'node:path';

import { ARGOCD_DIR, ARGOCD_NAMESPACE } from '../lib/layout.ts';
import { checkApplication, checkDuplicates, refOf } from './app-checks.ts';
import { expandApplicationSet } from './expand-appset.ts';
import { isArgoKind, isObject, objectId, stringAt, syncWaveOf, type JsonObject } from './kube.ts';
import { rollingSyncOf, type RollingSync } from './rolling-sync.ts';
import { destinationOf, labelsOf, nameOf, projectOf, sourcesOf, syncOf } from './summarize.ts';
import type { ApplicationRecord, ApplicationSetRecord, ExpandResult, Finding, RootRecord, SourceSummary } from './types.ts';

export interface ExpandOptions {
  /** Repository root: folders named by sources in the root's repository are looked up below it. */
  readonly repoRoot?: string;
  /** Replaces the folder lookup (tests). Paths are repository-relative POSIX paths. */
  readonly isDirectory?: (relPath: string) => boolean;
}

const directoryLookup = (repoRoot: string): ((relPath: string) => boolean) => (relPath) => {
  try {
    return statSync(join(repoRoot, relPath)).isDirectory();
  } catch {
    return false;
  }
};

/** The Application that syncs argocd/ itself: its repository is "this repository". */
const findRoot = (apps: readonly JsonObject[]): { manifest: JsonObject; source: SourceSummary } | undefined => {
  for (const manifest of apps) {
    const source = sourcesOf(manifest, undefined).find((s) => s.path !== undefined && posix.normalize(s.path).replace(/\/$/, '') === ARGOCD_DIR);
    if (source !== undefined) return { manifest, source };
  }
  return undefined;
};

interface Origin {
  readonly namespace: string;
  readonly applicationSet?: ApplicationSetRecord;
  readonly rolling?: RollingSync;
  readonly generator?: { readonly index: number; readonly element: number };
}

const summarize = (manifest: JsonObject, rootRepo: string | undefined, origin: Origin): ApplicationRecord => {
  const labels = labelsOf(manifest);
  const own = syncWaveOf(manifest).wave;
  const set = origin.applicationSet;
  return {
    name: nameOf(manifest),
    namespace: origin.namespace,
    project: projectOf(manifest),
    destination: destinationOf(manifest),
    sources: sourcesOf(manifest, rootRepo),
    // A generated Application is created when the root applies its ApplicationSet, so the set's wave orders it.
    wave: set !== undefined ? set.wave : own,
    ownWave: own,
    ...(set !== undefined ? { applicationSetWave: set.wave, applicationSet: set.name } : {}),
    sync: syncOf(manifest, labels, origin.rolling),
    labels,
    ...(origin.generator !== undefined ? { generator: origin.generator } : {}),
    manifest,
  };
};

const byWaveThenName = (a: ApplicationRecord, b: ApplicationRecord): number =>
  a.wave - b.wave || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0);

const dedupe = (findings: readonly Finding[]): Finding[] => {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.code, f.object, f.field, f.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** Expand and check the objects of argocd/ (as `kustomize build` prints them). */
export const expandObjects = (objects: readonly unknown[], options: ExpandOptions = {}): ExpandResult => {
  const all = objects.filter(isObject);
  const plain = all.filter((o) => isArgoKind(o, 'Application'));
  const sets = all.filter((o) => isArgoKind(o, 'ApplicationSet'));
  const projects = new Map(all.filter((o) => isArgoKind(o, 'AppProject')).map((p) => [objectId(p).name, p] as const));
  const findings: Finding[] = [];

  const found = findRoot(plain);
  // Objects without a namespace are created in the root Application's destination namespace.
  const defaultNamespace = (found && destinationOf(found.manifest).namespace) ?? ARGOCD_NAMESPACE;
  const root: RootRecord | undefined = found && {
    name: nameOf(found.manifest),
    namespace: stringAt(found.manifest, ['metadata', 'namespace']) ?? defaultNamespace,
    repoURL: found.source.repoURL,
    ...(found.source.targetRevision !== undefined ? { targetRevision: found.source.targetRevision } : {}),
    path: found.source.path ?? ARGOCD_DIR,
  };
  if (root === undefined) {
    findings.push({ code: 'root-not-found', object: `${ARGOCD_DIR}/`, message: `no Application syncs the ${ARGOCD_DIR}/ folder; source paths of this repository cannot be checked` });
  }
  const rootRepo = root?.repoURL;
  const isDirectory = root === undefined ? undefined : (options.isDirectory ?? (options.repoRoot !== undefined ? directoryLookup(options.repoRoot) : undefined));

  const applications: ApplicationRecord[] = [];
  for (const manifest of plain) {
    const namespace = stringAt(manifest, ['metadata', 'namespace']) ?? defaultNamespace;
    const record = summarize(manifest, rootRepo, { namespace });
    applications.push(record);
    const wave = syncWaveOf(manifest);
    if (wave.invalid !== undefined) findings.push({ code: 'invalid-sync-wave', object: refOf(record), field: 'metadata.annotations', message: `sync-wave ${JSON.stringify(wave.invalid)} is not an integer` });
  }

  const applicationSets: ApplicationSetRecord[] = [];
  const allowEmptyReported = new Set<string>();
  for (const set of sets) {
    const expansion = expandApplicationSet(set, defaultNamespace);
    applicationSets.push(expansion.record);
    findings.push(...expansion.findings);
    if (expansion.findings.some((f) => f.code === 'allow-empty')) allowEmptyReported.add(expansion.record.name);
    const rolling = rollingSyncOf(set);
    for (const generated of expansion.applications) {
      applications.push(
        summarize(generated.manifest, rootRepo, {
          namespace: expansion.record.namespace,
          applicationSet: expansion.record,
          ...(rolling !== undefined ? { rolling } : {}),
          generator: { index: generated.generator, element: generated.element },
        }),
      );
    }
  }

  applications.sort(byWaveThenName);
  const ctx = { projects, allowEmptyReported, ...(isDirectory !== undefined ? { isDirectory } : {}) };
  for (const app of applications) findings.push(...checkApplication(app, ctx));
  findings.push(...checkDuplicates(applications));

  return {
    ...(root !== undefined ? { root } : {}),
    applications,
    applicationSets,
    projects: [...projects.keys()].sort(),
    findings: dedupe(findings),
  };
};
