// The APIs a fresh cluster of the fleet's Kubernetes minor serves before any add-on: what Argo CD's
// --api-versions holds for a first sync (its APIResourcesToStrings lists `group/version` and
// `group/version/Kind`, argoproj/argo-cd@v3.4.4:util/argo/argo.go). Taken from the same data `pnpm validate`
// uses: the kinds of kubernetes-models (scripts/schemas/known-fields) and the served-version table
// (scripts/schemas/api-lifecycle.ts). Alpha and beta versions are left out: Kubernetes serves none of them by
// default any more (new beta APIs are off by default since 1.24).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { notServedReason } from '../schemas/api-lifecycle.ts';
import { KNOWN_FIELDS_DIR } from '../schemas/known-fields-dir.ts';

const GA_VERSION = /^v\d+$/;

/** Sorted `group/version` and `group/version/Kind` strings served by Kubernetes 1.`minor` out of the box. */
export const builtinApis = (minor: number): string[] => {
  const table = JSON.parse(readFileSync(join(KNOWN_FIELDS_DIR, 'kubernetes-models.json'), 'utf8')) as { kinds: Record<string, unknown> };
  const out = new Set<string>();
  for (const key of Object.keys(table.kinds)) {
    const slash = key.lastIndexOf('/');
    const apiVersion = key.slice(0, slash);
    const kind = key.slice(slash + 1);
    const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
    if (!GA_VERSION.test(version) || notServedReason(apiVersion, kind, minor) !== undefined) continue;
    out.add(apiVersion);
    out.add(`${apiVersion}/${kind}`);
  }
  return [...out].sort();
};
