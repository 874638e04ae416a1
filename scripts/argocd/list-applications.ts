// The library entry point: build argocd/ with the real Kustomize, expand it into Applications, optionally build
// every folder they sync. Used by `pnpm apps` and by anything else that needs "what will Argo CD create?".
import { KustomizeBuildError } from '../kustomize/build.ts';
import { detectEngine, type KustomizeEngine } from '../kustomize/engine.ts';
import { ARGOCD_DIR } from '../lib/layout.ts';
import { buildApplicationFolders } from './build-apps.ts';
import { expandObjects } from './expand.ts';
import { loadRootObjects, YamlStreamError } from './load-root.ts';
import type { ExpandResult } from './types.ts';

export interface ListOptions {
  /** Also build every folder of this repository that an Application syncs. */
  readonly build?: boolean;
  /** Concurrent builds with `build`; default: available parallelism. */
  readonly concurrency?: number;
  /** Use this engine instead of detecting one (tests). */
  readonly engine?: KustomizeEngine;
}

/**
 * Every Application Argo CD would create from the repository at `root`, with findings.
 * Throws CliError when no Kustomize is installed (precondition) or `root` has no argocd/ kustomization (bad input).
 */
export const listApplications = async (root: string, options: ListOptions = {}): Promise<ExpandResult> => {
  const engine = options.engine ?? (await detectEngine());
  const engineInfo = { name: engine.name, version: engine.version };
  let objects: unknown[];
  try {
    objects = await loadRootObjects(root, engine);
  } catch (error) {
    // A broken argocd/ is what the root Application would fail on: a finding, not a crash.
    if (!(error instanceof KustomizeBuildError) && !(error instanceof YamlStreamError)) throw error;
    const message = error instanceof KustomizeBuildError ? error.detail : error.message;
    return {
      applications: [],
      applicationSets: [],
      projects: [],
      findings: [{ code: 'root-build-failed', object: `${ARGOCD_DIR}/`, message: `kustomize build ${ARGOCD_DIR} failed: ${message}` }],
      engine: engineInfo,
    };
  }
  const result = expandObjects(objects, { repoRoot: root });
  if (!options.build) return { ...result, engine: engineInfo };
  const built = await buildApplicationFolders(root, engine, result.applications, options.concurrency !== undefined ? { concurrency: options.concurrency } : {});
  return { ...result, findings: [...result.findings, ...built.findings], builds: built.builds, engine: engineInfo };
};
