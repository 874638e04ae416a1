// The promotion's validation step: build the Applications that matter (every Application of the target
// environment, and any other whose inputs changed) with real Kustomize through the build cache, and run
// the same baseline checks as `pnpm validate`. Any finding or build failure stops the promotion.
import { checkBuildOutput, formatFinding, type CheckResult } from '../kustomize/checks.ts';
import { appKey } from '../diff/diff-trees.ts';
import type { FileHashMemo } from '../diff/input-key.ts';
import type { Renderer } from '../diff/renderer.ts';
import type { RevisionApp } from '../diff/revision-apps.ts';

export interface AppValidation {
  readonly name: string;
  readonly path: string;
  readonly objects: number;
  /** Formatted findings and build failures; empty when the Application is fine. */
  readonly problems: readonly string[];
}

export type BuildChecker = (yaml: string) => CheckResult;

export const validateApps = async (
  root: string,
  apps: readonly RevisionApp[],
  renderer: Renderer,
  engineId: string,
  check: BuildChecker = checkBuildOutput,
): Promise<AppValidation[]> => {
  const memo: FileHashMemo = new Map();
  const targets = apps.filter((a): a is RevisionApp & { path: string } => a.path !== undefined);
  const jobs = [];
  for (const a of targets) jobs.push({ root, path: a.path, key: await appKey(root, a, engineId, memo) });
  const rendered = await renderer.render(jobs);
  return targets.map((a, i) => {
    const r = rendered[i];
    if (r === undefined || !r.ok) return { name: a.name, path: a.path, objects: 0, problems: [`build failed: ${r?.ok === false ? r.error : 'no result'}`] };
    const result = check(r.yaml);
    return { name: a.name, path: a.path, objects: result.objects, problems: result.findings.map(formatFinding) };
  });
};
