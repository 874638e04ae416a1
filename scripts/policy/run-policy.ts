// Runs every rule on the Applications and turns what they report into findings: severity from the rule table,
// blocking or not, the file to blame, and the inventory exemption that applies, if any.
import type { PolicyExemption } from '../inventory/schema.ts';
import { describeObject } from './describe.ts';
import { argocd } from './rules/argocd.ts';
import { availability } from './rules/availability.ts';
import { edgeUpstream, gpuPlacement, kedaQueues, metricsMonitors } from './rules/domain.ts';
import { images } from './rules/images.ts';
import { duplicateEnv } from './rules/env.ts';
import { defaultNamespace } from './rules/namespaces.ts';
import { ingressUniqueness, isIngress, network, policyNoPods, serviceNoPods } from './rules/network.ts';
import { podSecurity } from './rules/pod-security.ts';
import { probes } from './rules/probes.ts';
import { rbac } from './rules/rbac.ts';
import { resources } from './rules/resources.ts';
import { secrets } from './rules/secrets.ts';
import { sharedResources } from './rules/shared-resources.ts';
import { selectorTemplate } from './rules/workload-selectors.ts';
import { mountedVolumes, probePorts } from './rules/startable.ts';
import { RULE_BY_ID } from './rules.ts';
import type { AppContext, AppRule, Finding, FleetRule, RawFinding, RenderedObject } from './types.ts';

export const APP_RULES: readonly AppRule[] = [podSecurity, images, resources, probes, availability, network, secrets, defaultNamespace, argocd, gpuPlacement, kedaQueues, selectorTemplate, rbac, duplicateEnv, probePorts, mountedVolumes];

/**
 * Rules that compare Applications across the whole fleet, each with the only objects it looks at: the check keeps
 * just those (a few Ingresses) after a cluster is done, instead of every parsed object of the fleet.
 */
export const FLEET_RULES: ReadonlyArray<{ readonly rule: FleetRule; readonly objects: (o: RenderedObject) => boolean }> = [
  { rule: ingressUniqueness, objects: isIngress },
];

/**
 * Rules that compare the Applications of one cluster only (`clusterKey`), so each cluster can be checked on its
 * own. Their findings come after the fleet rules' in an Application's list.
 */
export const CLUSTER_RULES: readonly FleetRule[] = [sharedResources, edgeUpstream, metricsMonitors, serviceNoPods, policyNoPods];

export type AppFinding = RawFinding & { readonly app: AppContext };

const exemptionFor = (f: AppFinding, exemptions: readonly PolicyExemption[]): PolicyExemption | undefined =>
  exemptions.find(
    (e) =>
      e.rule === f.rule &&
      (e.environment === undefined || e.environment === f.app.target.environment?.name) &&
      (e.cluster === undefined || e.cluster === f.app.target.cluster?.name) &&
      (e.namespace === undefined || e.namespace === f.object?.effectiveNamespace) &&
      (e.kind === undefined || e.kind === f.object?.kind) &&
      (e.name === undefined || e.name === f.object?.name),
  );

/** Exemption rule ids that name no rule (a typo would silently exempt nothing). */
export const unknownExemptionRules = (exemptions: readonly PolicyExemption[]): string[] =>
  [...new Set(exemptions.map((e) => e.rule).filter((r) => !RULE_BY_ID.has(r)))].sort();

export const finalize = (
  raw: readonly AppFinding[],
  exemptions: readonly PolicyExemption[],
  fileOf: (f: AppFinding) => string,
): Finding[] =>
  raw.map((f): Finding => {
    const info = RULE_BY_ID.get(f.rule);
    if (info === undefined) throw new Error(`rule ${f.rule} is not in the rule table`);
    const exemption = exemptionFor(f, exemptions);
    const blocking = exemption === undefined && (info.severity === 'BLOCK' || (info.severity === 'PROD' && f.app.isProd));
    const t = f.app.target;
    return {
      rule: f.rule,
      severity: info.severity,
      blocking,
      application: t.name,
      ...(t.cluster !== undefined ? { cluster: t.cluster.name } : {}),
      ...(t.stack !== undefined ? { stack: t.stack } : {}),
      file: f.file ?? fileOf(f),
      ...(f.line !== undefined && f.line > 0 ? { line: f.line } : {}),
      ...(f.object !== undefined ? { object: describeObject(f.object) } : {}),
      ...(f.field !== undefined && f.field !== '' ? { field: f.field } : {}),
      message: f.message,
      ...(exemption !== undefined ? { exempted: exemption.reason } : {}),
    };
  });
