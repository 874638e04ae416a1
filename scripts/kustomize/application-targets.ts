// What `pnpm validate` renders: every Application the generated ApplicationSets produce (the same offline
// expansion `pnpm gen` uses for its removal guard) whose source is a folder of this repository, plus the root
// Application's folder (argocd/), which holds the hub's own objects.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { APPS_DIR, ARGOCD_BOOTSTRAP_DIR, ARGOCD_DIR, ARGOCD_NAMESPACE, CLUSTERS_DIR, KUSTOMIZATION_FILE } from '../lib/layout.ts';
import type { Fleet } from '../model/fleet.ts';
import { applicationsOf } from '../pipeline/removal-guard.ts';
import type { AppTarget } from '../policy/types.ts';
import { KUSTOMIZATION_NAMES } from './kustomization-graph.ts';

const hasKustomization = (dir: string): boolean => KUSTOMIZATION_NAMES.some((n) => existsSync(join(dir, n)));

const yamlFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.yaml') && e.name !== KUSTOMIZATION_FILE)
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
};

/** Name and project of the Application that syncs argocd/ (the root), from argocd/bootstrap/. */
const rootApplication = (root: string): { name: string; project: string } => {
  const dir = join(root, ARGOCD_DIR, ARGOCD_BOOTSTRAP_DIR);
  for (const file of yamlFiles(dir)) {
    try {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as { kind?: string; metadata?: { name?: string }; spec?: { project?: string; source?: { path?: string } } } | null;
      if (doc?.kind === 'Application' && doc.spec?.source?.path?.replace(/\/$/, '') === ARGOCD_DIR) {
        return { name: doc.metadata?.name ?? 'root', project: doc.spec.project ?? '' };
      }
    } catch {
      // not an Application we can read; the build reports broken YAML
    }
  }
  return { name: 'root', project: 'bootstrap' };
};

/** Every Application target, sorted by cluster then stack (the root's argocd/ first). */
export const applicationTargets = (root: string, fleet: Fleet | undefined): AppTarget[] => {
  const appsDir = join(root, APPS_DIR);
  const texts = yamlFiles(appsDir).map((f) => ({ path: `${APPS_DIR}/${f}`, content: readFileSync(join(appsDir, f), 'utf8') }));
  const targets: AppTarget[] = [];
  for (const app of applicationsOf(texts).values()) {
    // Helm-chart add-ons render outside this repository; only folders with a kustomization are ours to build.
    if (!hasKustomization(join(root, app.source))) continue;
    const [top, clusterName, stack] = app.source.split('/');
    const cluster = top === CLUSTERS_DIR ? fleet?.clusters.find((c) => c.name === clusterName) : undefined;
    const environment = cluster === undefined ? undefined : fleet?.environments.find((e) => e.name === cluster.environment);
    targets.push({
      name: app.name,
      path: app.source,
      project: app.project,
      destination: app.destination,
      namespace: app.namespace,
      ...(cluster !== undefined ? { cluster } : {}),
      ...(environment !== undefined ? { environment } : {}),
      ...(top === CLUSTERS_DIR && stack !== undefined ? { stack } : {}),
    });
  }
  targets.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (hasKustomization(join(root, ARGOCD_DIR))) {
    const rootApp = rootApplication(root);
    targets.unshift({ name: rootApp.name, path: ARGOCD_DIR, project: rootApp.project, destination: 'in-cluster', namespace: ARGOCD_NAMESPACE });
  }
  return targets;
};
