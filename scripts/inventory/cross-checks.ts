// Rules that span fields or files, which JSON Schema cannot express. Pure. Each check reads only
// parts that passed the schema (so it never reasons about malformed data), yet all checks run even
// when other files failed, so one run reports as much as can be known.
import { checkClusters } from './cluster-checks.ts';
import type { CrossCheckInput, Report } from './cross-check-input.ts';
import { checkEnvironmentNames, checkEnvironmentsHaveClusters, checkPromotion } from './environment-checks.ts';
import type { InventoryIssue } from './errors.ts';
import { checkFleetReferences } from './fleet-checks.ts';
import { checkClusterIssuer, checkPlatformClusters } from './platform-checks.ts';
import { checkApps, checkVersions } from './settings-checks.ts';

export type { ClustersInput, CrossCheckInput, EnvironmentInput } from './cross-check-input.ts';

/** All cross-field issues, in no particular order (InventoryError sorts them). */
export function crossCheck(input: CrossCheckInput): InventoryIssue[] {
  const issues: InventoryIssue[] = [];
  const report: Report = (i) => issues.push(i);
  checkEnvironmentNames(input, report);
  checkClusters(input, report);
  checkEnvironmentsHaveClusters(input, report);
  checkPromotion(input, report);
  checkFleetReferences(input, report);
  checkPlatformClusters(input, report);
  for (const env of input.environments) {
    if (env.value === undefined) continue;
    checkApps(input, env, env.value, report);
    checkVersions(input, env, env.value, report);
    checkClusterIssuer(env, env.value, report);
  }
  return issues;
}
