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
