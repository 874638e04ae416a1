// Cross-field rules about environments/*.yaml: names, coverage by clusters, promotion order.
import {
  issueAt,
  issueOnFile,
  validClusters,
  type CrossCheckInput,
  type EnvironmentInput,
  type Report,
} from './cross-check-input.ts';
import type { InventoryIssue } from './errors.ts';
import { DNS1123_LABEL_WORDS } from './messages.ts';
import { analysePromotion, type PromotionFinding } from './promotion.ts';
import { DNS1123_LABEL } from './schema.ts';
import { closest, didYouMean } from './suggest.ts';

const LABEL = new RegExp(DNS1123_LABEL);
const MAX_NAME_LENGTH = 63;

/** The environment name is the file name, which no schema sees. */
export function checkEnvironmentNames(input: CrossCheckInput, report: Report): void {
  if (input.environments.length === 0) {
    report({
      file: input.environmentsDir,
      line: 0,
      col: 0,
      field: '(directory)',
      message: 'no environments: add at least one <name>.yaml file to this folder',
    });
  }
  const seen = new Map<string, string>();
  for (const env of input.environments) {
    if (!LABEL.test(env.name) || env.name.length > MAX_NAME_LENGTH) {
      const message =
        `expected the environment name (the file name without .yaml) to be ${DNS1123_LABEL_WORDS}, ` +
        `found "${env.name}"`;
      report(issueOnFile(env.source.file, '(file name)', message));
    }
    const other = seen.get(env.name.toLowerCase());
    if (other !== undefined) {
      const message = `environment "${env.name}" differs from "${other}" only in case`;
      report(issueOnFile(env.source.file, '(file name)', message));
    } else seen.set(env.name.toLowerCase(), env.name);
  }
}

export function checkEnvironmentsHaveClusters(input: CrossCheckInput, report: Report): void {
  const clusters = input.clusters;
  // Only a complete, non-empty cluster list proves an environment has none (empty is reported once).
  if (clusters === undefined || !clusters.complete || clusters.entries.length === 0) return;
  const used = new Set(validClusters(clusters).map((c) => c.entry.environment));
  const names = input.environments.map((e) => e.name);
  // A cluster's `environment: stagin` is reported at the cluster with "did you mean staging?"; saying here that
  // staging has no cluster and may be removed would point the fix at the wrong file (issue 20 item 7).
  const misspelled = new Set(
    [...used].filter((u) => !names.includes(u)).map((u) => closest(u, names)).filter((n) => n !== undefined),
  );
  for (const env of input.environments) {
    if (used.has(env.name) || misspelled.has(env.name)) continue;
    const message =
      `no cluster belongs to environment "${env.name}": ` + `add one to ${clusters.source.file} or remove this file`;
    report(issueOnFile(env.source.file, '(root)', message));
  }
}

function promotionIssue(
  f: PromotionFinding,
  byName: ReadonlyMap<string, EnvironmentInput>,
  names: readonly string[],
): InventoryIssue | undefined {
  const env = byName.get(f.env);
  if (env === undefined) return undefined;
  const onEdge = (message: string): InventoryIssue => issueAt(env.source, ['promotesTo'], 'value', message);
  switch (f.kind) {
    case 'unknown-target':
      return onEdge(
        `unknown environment "${f.target}"${didYouMean(f.target, names)}; environments: ${names.join(', ')}`,
      );
    case 'self':
      return onEdge(`environment "${f.env}" promotes to itself`);
    case 'shared-target':
      return onEdge(
        `"${f.target}" is already promoted to from "${f.other}"; the promotion order must be a single chain`,
      );
    case 'cycle':
      return onEdge(`promotion order has a cycle: ${f.cycle.join(' → ')}`);
    case 'gap':
      return issueOnFile(
        env.source.file,
        '(root)',
        `promotion order has a gap: no environment promotes to "${f.env}", ` +
          `so it is not reachable from the first environment "${f.first}"`,
      );
  }
}

export function checkPromotion(input: CrossCheckInput, report: Report): void {
  const envs = input.environments;
  const analysis = analysePromotion(
    envs.map((e) => ({ name: e.name, promotesTo: e.value?.promotesTo })),
    envs.every((e) => e.value !== undefined),
  );
  const byName = new Map(envs.map((e) => [e.name, e]));
  const names = envs.map((e) => e.name);
  for (const finding of analysis.findings) {
    const issue = promotionIssue(finding, byName, names);
    if (issue !== undefined) report(issue);
  }
}
