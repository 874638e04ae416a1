// `pnpm apps --build`: render, with the real Kustomize, every folder of this repository that an Application syncs,
// so a broken overlay shows up before Argo CD reports it as a ComparisonError.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import { buildMany } from '../kustomize/build.ts';
import type { KustomizeEngine } from '../kustomize/engine.ts';
import { hasKustomization, parseYamlStream, YamlStreamError } from './load-root.ts';
import type { ApplicationRecord, BuildRecord, Finding } from './types.ts';

export interface BuildAppsOptions {
  /** Builds running at once; default: the machine's available parallelism. */
  readonly concurrency?: number;
}

/** Repository-relative folders synced by the Applications, each with the Applications that sync it. */
export const foldersOf = (apps: readonly ApplicationRecord[]): Map<string, string[]> => {
  const folders = new Map<string, string[]>();
  for (const app of apps) {
    for (const s of app.sources) {
      if (!s.inRepo || s.chart !== undefined || (s.ref !== undefined && s.path === undefined)) continue;
      const path = s.path ?? '.';
      const users = folders.get(path) ?? [];
      if (!users.includes(app.name)) users.push(app.name);
      folders.set(path, users);
    }
  }
  return new Map([...folders.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

/** Build every folder; failures become `build-failed` findings. Folders without a kustomization are skipped. */
export const buildApplicationFolders = async (
  root: string,
  engine: KustomizeEngine,
  apps: readonly ApplicationRecord[],
  options: BuildAppsOptions = {},
): Promise<{ builds: BuildRecord[]; findings: Finding[] }> => {
  const folders = foldersOf(apps);
  const builds: BuildRecord[] = [];
  const toBuild: string[] = [];
  for (const [path, users] of folders) {
    const dir = join(root, path);
    // Argo CD renders a folder without a kustomization as plain YAML (directory source), not with Kustomize.
    if (hasKustomization(dir)) toBuild.push(path);
    else if (!existsSync(dir)) builds.push({ path, applications: users, status: 'skipped', detail: 'folder does not exist' });
    else builds.push({ path, applications: users, status: 'skipped', detail: 'no kustomization: Argo CD applies it as a plain directory' });
  }
  const results = await buildMany(
    engine,
    toBuild.map((p) => join(root, p)),
    { concurrency: Math.max(1, options.concurrency ?? availableParallelism()) },
  );
  const findings: Finding[] = [];
  for (const [i, path] of toBuild.entries()) {
    const result = results[i];
    const applications = folders.get(path) ?? [];
    if (result === undefined) continue;
    if (!result.ok) {
      builds.push({ path, applications, status: 'failed', durationMs: result.durationMs, detail: result.error.detail });
      for (const name of applications) findings.push({ code: 'build-failed', object: `Application/${name}`, field: 'spec.source.path', message: `kustomize build ${path} failed: ${result.error.detail}` });
      continue;
    }
    try {
      const objects = parseYamlStream(result.yaml, `kustomize build ${path}`).length;
      builds.push({ path, applications, status: 'ok', objects, durationMs: result.durationMs });
    } catch (error) {
      if (!(error instanceof YamlStreamError)) throw error;
      builds.push({ path, applications, status: 'failed', durationMs: result.durationMs, detail: error.message });
      for (const name of applications) findings.push({ code: 'build-failed', object: `Application/${name}`, message: error.message });
    }
  }
  builds.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { builds, findings };
};
