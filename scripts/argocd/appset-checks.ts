// Safety checks on an ApplicationSet itself, independent of what it generates: the settings that decide whether
// a generator hiccup or a template slip can delete, mis-route or silently empty a fleet.
import { missingKeyOption } from './go-template.ts';
import { getIn, isObject, syncWaveOf, type JsonObject } from './kube.ts';
import { rollingSyncOf, unsupportedOperators } from './rolling-sync.ts';
import type { Finding } from './types.ts';

/** Policies that never delete Applications when a generator stops returning them. */
export const SAFE_APPLICATIONS_SYNC = ['create-update', 'create-only'] as const;

/** Every path under `value` where `allowEmpty` is true (a sync that may prune an app down to nothing). */
export const allowEmptyPaths = (value: unknown, path: string): string[] => {
  const found: string[] = [];
  const visit = (v: unknown, p: string): void => {
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, `${p}[${i}]`));
    else if (isObject(v)) {
      for (const [k, item] of Object.entries(v)) {
        const kp = p.length > 0 ? `${p}.${k}` : k;
        if (k === 'allowEmpty' && (item === true || item === 'true')) found.push(kp);
        else visit(item, kp);
      }
    }
  };
  visit(value, path);
  return found;
};

const ALLOW_EMPTY_TEXT = /\ballowEmpty\s*:\s*["']?true\b/;

export const checkApplicationSet = (appSet: JsonObject, ref: string): Finding[] => {
  const findings: Finding[] = [];
  const add = (f: Omit<Finding, 'object'>): void => void findings.push({ object: ref, ...f });
  const spec = isObject(appSet.spec) ? appSet.spec : {};

  if (spec.goTemplate !== true) {
    add({ code: 'go-template-disabled', field: 'spec.goTemplate', message: 'goTemplate is not true: the legacy fasttemplate syntax silently leaves unknown {{params}} in place; its Applications are not previewed' });
  }
  const options = Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions : [];
  const { missingKey, unsupported } = missingKeyOption(options);
  if (missingKey !== 'error') {
    add({ code: 'missingkey-not-error', field: 'spec.goTemplateOptions', message: 'goTemplateOptions lacks "missingkey=error": a missing parameter renders as "<no value>" instead of failing' });
  }
  for (const option of unsupported) add({ code: 'template-option', field: 'spec.goTemplateOptions', message: `goTemplateOptions entry ${JSON.stringify(option)} is not evaluated offline` });

  const applicationsSync = getIn(spec, ['syncPolicy', 'applicationsSync']);
  if (typeof applicationsSync !== 'string' || !(SAFE_APPLICATIONS_SYNC as readonly string[]).includes(applicationsSync)) {
    const what = applicationsSync === undefined ? 'is not set (default "sync")' : `is ${JSON.stringify(applicationsSync)}`;
    add({ code: 'applications-sync', field: 'spec.syncPolicy.applicationsSync', message: `applicationsSync ${what}: Argo CD deletes Applications when the generator stops returning them; use create-update or create-only` });
  }

  const project = getIn(spec, ['template', 'spec', 'project']);
  if (typeof project === 'string' && project.includes('{{')) {
    add({ code: 'templated-project', field: 'spec.template.spec.project', message: `spec.project is templated (${JSON.stringify(project)}): a generator parameter would choose the AppProject and its permissions` });
  }

  for (const p of allowEmptyPaths(spec.template, 'spec.template')) add({ code: 'allow-empty', field: p, message: 'allowEmpty: true lets automated sync prune every resource of an Application' });
  if (typeof spec.templatePatch === 'string' && ALLOW_EMPTY_TEXT.test(spec.templatePatch)) {
    add({ code: 'allow-empty', field: 'spec.templatePatch', message: 'templatePatch sets allowEmpty: true, which lets automated sync prune every resource of an Application' });
  }

  const wave = syncWaveOf(appSet);
  if (wave.invalid !== undefined) add({ code: 'invalid-sync-wave', field: 'metadata.annotations', message: `sync-wave ${JSON.stringify(wave.invalid)} is not an integer` });

  const rolling = rollingSyncOf(appSet);
  if (rolling) {
    for (const op of unsupportedOperators(rolling)) {
      add({ code: 'rolling-sync-operator', field: 'spec.strategy.rollingSync.steps', message: `matchExpressions operator ${JSON.stringify(op)} is ignored by Argo CD (only In and NotIn select Applications)` });
    }
  }
  return findings;
};

/** A generator problem `pnpm validate` reports on an ApplicationSet: where, and why. */
export interface GeneratorIssue {
  readonly field: string;
  readonly message: string;
}

/**
 * Generators whose parameters come from outside this repository's committed tree: an SCM or pull-request API,
 * a cluster resource, a plugin service, or another Git repository. What such a set generates (and, with a
 * deleting policy, removes) changes without a commit here, so nothing `validate` checks covers it.
 * Checked: argoproj/argo-cd @ v3.4.4 : pkg/apis/application/v1alpha1/applicationset_types.go
 * (ApplicationSetGenerator: list, clusters, git, scmProvider, clusterDecisionResource, pullRequest, matrix, merge,
 * plugin; nested matrix/merge children hold `generators` lists).
 */
const EXTERNAL_GENERATORS: Readonly<Record<string, string>> = {
  scmProvider: 'an SCM provider API',
  pullRequest: 'a pull-request API',
  clusterDecisionResource: 'a cluster resource (duck-typed)',
  plugin: 'a plugin service',
};

const normalRepo = (url: string): string => url.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');

/** Every generator of a set, nested matrix/merge children included, with its field path. */
const walkGenerators = (generators: unknown, field: string, visit: (g: JsonObject, field: string) => void): void => {
  if (!Array.isArray(generators)) return;
  generators.forEach((g, i) => {
    if (!isObject(g)) return;
    const f = `${field}[${i}]`;
    visit(g, f);
    for (const combiner of ['matrix', 'merge']) {
      const c = g[combiner];
      if (isObject(c)) walkGenerators(c.generators, `${f}.${combiner}.generators`, visit);
    }
  });
};

/** Generators that read outside this repository (`repoURL` is the repository the fleet syncs from). */
export const externalGenerators = (spec: unknown, repoURL: string): GeneratorIssue[] => {
  const out: GeneratorIssue[] = [];
  walkGenerators(getIn(spec, ['generators']), 'spec.generators', (g, field) => {
    for (const [kind, what] of Object.entries(EXTERNAL_GENERATORS)) {
      if (g[kind] !== undefined) out.push({ field: `${field}.${kind}`, message: `the ${kind} generator reads ${what}: what this set generates changes without a commit to this repository` });
    }
    const git = g.git;
    if (isObject(git)) {
      const url = typeof git.repoURL === 'string' ? git.repoURL : '';
      if (normalRepo(url) !== normalRepo(repoURL)) {
        out.push({ field: `${field}.git.repoURL`, message: `the git generator reads ${JSON.stringify(url)}, not this repository (${repoURL}): what this set generates changes without a commit here` });
      }
    }
  });
  return out;
};

/**
 * List generators with no element at all. With a deleting policy every Application the set made is removed;
 * with a safe one the set silently stops managing them. Either way an empty list is a slip, never an intent.
 */
export const emptyListGenerators = (spec: unknown): GeneratorIssue[] => {
  const out: GeneratorIssue[] = [];
  walkGenerators(getIn(spec, ['generators']), 'spec.generators', (g, field) => {
    const list = g.list;
    if (!isObject(list)) return;
    const elements = Array.isArray(list.elements) ? list.elements.length : 0;
    const yaml = typeof list.elementsYaml === 'string' ? list.elementsYaml.trim() : '';
    // elementsYaml `[]` or a bare comment is empty too; anything else is judged by the expansion.
    if (elements === 0 && (yaml === '' || yaml === '[]' || /^(#[^\n]*\n?\s*)*$/.test(yaml))) {
      out.push({ field: `${field}.list.elements`, message: 'the list generator has no elements: the set generates no Applications' });
    }
  });
  return out;
};
