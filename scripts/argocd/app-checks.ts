// Checks on each Application Argo CD would hold (generated or applied directly by the root): a valid unique name,
// a real non-default AppProject that permits its destination and repository, and source folders that exist.
import { posix } from 'node:path';

import { allowEmptyPaths } from './appset-checks.ts';
import { getIn, type JsonObject } from './kube.ts';
import { permissionsOf, sourceRepoPermitted } from './project-match.ts';
import type { ApplicationRecord, Finding, FindingCode } from './types.ts';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Argo CD copies the Application name into the `app.kubernetes.io/instance` label, a 63-character value. */
export const MAX_APPLICATION_NAME = 63;

export interface AppCheckContext {
  readonly projects: ReadonlyMap<string, JsonObject>;
  /** Whether a repository-relative folder exists; absent when the repository is unknown. */
  readonly isDirectory?: (relPath: string) => boolean;
  /** ApplicationSets whose template was already reported for allowEmpty, so their apps are not reported again. */
  readonly allowEmptyReported: ReadonlySet<string>;
}

export const refOf = (app: ApplicationRecord): string => `Application/${app.name}`;

const describeDestination = (app: ApplicationRecord): string =>
  `${app.destination.name ?? app.destination.server ?? '(none)'} namespace ${app.destination.namespace ?? '(none)'}`;

const checkName = (app: ApplicationRecord, add: (f: Omit<Finding, 'object'>) => void): void => {
  if (!DNS1123_SUBDOMAIN.test(app.name) || app.name.length > 253) {
    add({ code: 'invalid-name', field: 'metadata.name', message: `name ${JSON.stringify(app.name)} is not a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")` });
  } else if (app.name.length > MAX_APPLICATION_NAME) {
    add({ code: 'invalid-name', field: 'metadata.name', message: `name ${JSON.stringify(app.name)} has ${app.name.length} characters; Application names must fit the 63-character instance label` });
  }
};

const checkProject = (app: ApplicationRecord, ctx: AppCheckContext, add: (f: Omit<Finding, 'object'>) => void): JsonObject | undefined => {
  if (app.project === '' || app.project === 'default') {
    add({ code: 'default-project', field: 'spec.project', message: `project is ${app.project === '' ? 'empty (Argo CD uses "default")' : '"default"'}, which permits any repository and destination` });
    return undefined;
  }
  const project = ctx.projects.get(app.project);
  if (project === undefined) add({ code: 'unknown-project', field: 'spec.project', message: `AppProject ${JSON.stringify(app.project)} is not among the root's objects` });
  return project;
};

const checkDestination = (app: ApplicationRecord, project: JsonObject | undefined, add: (f: Omit<Finding, 'object'>) => void): void => {
  const { name, server } = app.destination;
  if (name !== undefined && server !== undefined) {
    add({ code: 'destination-invalid', field: 'spec.destination', message: `destination sets both name ${JSON.stringify(name)} and server ${JSON.stringify(server)}; Argo CD refuses that` });
  } else if (name === undefined && server === undefined) {
    add({ code: 'destination-invalid', field: 'spec.destination', message: 'destination has neither name nor server' });
  } else if (project !== undefined && !permissionsOf(project).destination(app.destination)) {
    add({ code: 'destination-not-permitted', field: 'spec.destination', message: `AppProject ${JSON.stringify(app.project)} does not permit destination ${describeDestination(app)}` });
  }
};

const checkSources = (app: ApplicationRecord, project: JsonObject | undefined, ctx: AppCheckContext, add: (f: Omit<Finding, 'object'>) => void): void => {
  const multi = Array.isArray(getIn(app.manifest, ['spec', 'sources'])) && app.sources.length > 0;
  for (const [i, source] of app.sources.entries()) {
    const field = multi ? `spec.sources[${i}]` : 'spec.source';
    if (project !== undefined && source.repoURL !== '' && !sourceRepoPermitted(project, source.repoURL)) {
      add({ code: 'source-repo-not-permitted', field: `${field}.repoURL`, message: `AppProject ${JSON.stringify(app.project)} does not permit repository ${source.repoURL}` });
    }
    if (!source.inRepo || source.chart !== undefined || ctx.isDirectory === undefined) continue;
    if (source.ref !== undefined && source.path === undefined) continue;
    const path = source.path ?? '.';
    const normal = posix.normalize(path);
    if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
      add({ code: 'source-path-missing', field: `${field}.path`, message: `path ${JSON.stringify(path)} leaves the repository` });
    } else if (!ctx.isDirectory(normal)) {
      add({ code: 'source-path-missing', field: `${field}.path`, message: `path ${JSON.stringify(path)} does not exist in this repository` });
    }
  }
};

/** Findings for one Application. */
export const checkApplication = (app: ApplicationRecord, ctx: AppCheckContext): Finding[] => {
  const findings: Finding[] = [];
  const add = (f: Omit<Finding, 'object'>): void => void findings.push({ object: refOf(app), ...f });
  checkName(app, add);
  const project = checkProject(app, ctx, add);
  checkDestination(app, project, add);
  checkSources(app, project, ctx, add);
  if (app.applicationSet === undefined || !ctx.allowEmptyReported.has(app.applicationSet)) {
    for (const p of allowEmptyPaths(app.manifest.spec, 'spec')) add({ code: 'allow-empty', field: p, message: 'allowEmpty: true lets automated sync prune every resource of this Application' });
  }
  if (app.sync.steps !== undefined && app.sync.step === undefined) {
    add({ code: 'rolling-sync-unselected', field: 'metadata.labels', message: `no RollingSync step of ApplicationSet ${app.applicationSet ?? ''} selects this Application; it is never synced automatically` });
  }
  return findings;
};

/** Two Applications with one namespace/name: Argo CD keeps one, and the ApplicationSets fight over it. */
export const checkDuplicates = (apps: readonly ApplicationRecord[]): Finding[] => {
  const byKey = new Map<string, ApplicationRecord[]>();
  for (const app of apps) {
    const key = `${app.namespace}/${app.name}`;
    byKey.set(key, [...(byKey.get(key) ?? []), app]);
  }
  const findings: Finding[] = [];
  for (const [key, group] of byKey) {
    if (group.length < 2) continue;
    const origins = group.map((a) => (a.applicationSet !== undefined ? `ApplicationSet/${a.applicationSet}` : 'the root'));
    findings.push({ code: 'duplicate-name', object: `Application/${group[0]?.name ?? key}`, field: 'metadata.name', message: `${group.length} Applications are named ${key}: from ${origins.join(', ')}` });
  }
  return findings;
};

/**
 * The rule id each `pnpm apps` finding has in `pnpm validate`, so CI (which runs validate, not apps) sees every
 * one of them. Most are reported by validate's own rules on the root's objects (scripts/policy/rules/argocd.ts,
 * exemptable like any rule); those only the offline expansion can see (generated Applications, their projects,
 * destinations and sources) come from the first-sync simulation, which expands the root anyway
 * (EXPANSION_ONLY_CODES). `generator-offline` is every generator but the list: validate blocks the dangerous
 * subset, the ones that read outside this repository (argocd/appset-external-generator).
 */
export const VALIDATE_RULE_OF_APPS_CODE: Readonly<Record<FindingCode, string>> = {
  'root-build-failed': 'kustomize/build-failed',
  'root-not-found': 'argocd/source',
  'duplicate-name': 'argocd/application-duplicate',
  'invalid-name': 'argocd/application-name',
  'templated-project': 'argocd/templated-project',
  'template-patch-project': 'argocd/template-patch',
  'go-template-disabled': 'argocd/missingkey',
  'missingkey-not-error': 'argocd/missingkey',
  'template-option': 'argocd/template-error',
  'applications-sync': 'argocd/applications-sync',
  'allow-empty': 'argocd/allow-empty',
  'unknown-project': 'argocd/unknown-project',
  'default-project': 'argocd/default-project',
  'destination-invalid': 'argocd/destination',
  'destination-not-permitted': 'argocd/destination',
  'source-repo-not-permitted': 'argocd/source',
  'source-path-missing': 'argocd/source',
  'generator-offline': 'argocd/appset-external-generator',
  'generator-unsupported': 'argocd/template-error',
  'template-unsupported': 'argocd/template-error',
  'template-error': 'argocd/template-error',
  'template-patch-error': 'argocd/template-patch',
  'template-patch-unknown-field': 'argocd/template-patch',
  'template-patch-yaml11': 'argocd/template-patch-yaml11',
  'rolling-sync-unselected': 'argocd/rolling-sync',
  'rolling-sync-operator': 'argocd/rolling-sync',
  'invalid-sync-wave': 'argocd/sync-wave',
  'invalid-object': 'argocd/template-error',
  'build-failed': 'kustomize/build-failed',
};

/** Codes only the offline expansion finds: the first-sync simulation reports them under VALIDATE_RULE_OF_APPS_CODE. */
export const EXPANSION_ONLY_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'root-not-found',
  'duplicate-name',
  'invalid-name',
  'template-patch-project',
  'unknown-project',
  'destination-invalid',
  'destination-not-permitted',
  'source-repo-not-permitted',
  'source-path-missing',
  'generator-unsupported',
  'rolling-sync-unselected',
  'invalid-object',
]);

/** EXPANSION_ONLY_CODES with their validate rule ids, for the simulation's table of expansion findings. */
export const expansionOnlyRules = (): Record<string, string> =>
  Object.fromEntries([...EXPANSION_ONLY_CODES].map((code) => [code, VALIDATE_RULE_OF_APPS_CODE[code]]));
