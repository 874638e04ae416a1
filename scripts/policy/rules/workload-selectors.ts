// Workload selectors the API refuses: a selector that does not select the workload's own pod template (rejected
// on create), and a selector that differs from the previous committed render of the same object (immutable in
// apps/v1 and batch/v1: Argo CD's sync fails on every attempt until someone deletes the object by hand).
import { isObject, obj, type JsonObject } from '../json.ts';
import type { AppContext, AppRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf, selects, workloadOf } from '../workloads.ts';

/** Kinds whose spec.selector must select spec.template and may never change after create. */
const SELECTOR_KINDS: Readonly<Record<string, string>> = {
  Deployment: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  ReplicaSet: 'apps',
  Job: 'batch',
};

const hasImmutableSelector = (kind: string, apiVersion: string): boolean => SELECTOR_KINDS[kind] !== undefined && SELECTOR_KINDS[kind] === groupOf(apiVersion);

/** The identity a previous render is matched on: group, kind, namespace (as landed) and name. */
export const selectorKey = (apiVersion: string, kind: string, namespace: string | undefined, name: string): string => [groupOf(apiVersion), kind, namespace ?? '', name].join('/');

/** JSON with sorted map keys: two selectors written in another key order are the same selector. */
const canonical = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
};

const isEmptySelector = (selector: JsonObject): boolean => Object.keys(obj(selector.matchLabels)).length === 0 && (!Array.isArray(selector.matchExpressions) || selector.matchExpressions.length === 0);

/**
 * `workloads/selector-template`: apps/v1 requires a non-empty selector that selects the template's labels
 * (`selector does not match template labels`); a Job with an explicit selector (manualSelector) likewise.
 */
export const selectorTemplate: AppRule = (ctx) =>
  ctx.objects.flatMap((o): RawFinding[] => {
    if (!hasImmutableSelector(o.kind, o.apiVersion)) return [];
    const w = workloadOf(o);
    if (w === undefined) return [];
    const selector = obj(o.raw.spec).selector;
    if (selector === undefined && o.kind === 'Job') return []; // the Job controller generates one from its uid
    if (!isObject(selector) || isEmptySelector(selector)) {
      return [{ rule: 'workloads/selector-template', object: o, field: 'spec.selector', message: 'spec.selector is missing or empty: the API refuses the object' }];
    }
    if (selects(selector, w.podLabels)) return [];
    return [
      {
        rule: 'workloads/selector-template',
        object: o,
        field: 'spec.selector',
        message: `spec.selector ${canonical(selector)} does not select the pod template's labels ${canonical(w.podLabels)}: the API refuses the object`,
      },
    ];
  });

/** Selectors of a previous render, by `selectorKey`, as canonical JSON. */
export type PreviousSelectors = ReadonlyMap<string, string>;

/** The immutable selectors of one build output's objects (parsed documents), for a later comparison. */
export const selectorsOf = (docs: Iterable<unknown>, defaultNamespace: string | undefined): Map<string, string> => {
  const out = new Map<string, string>();
  for (const d of docs) {
    if (!isObject(d) || typeof d.kind !== 'string' || typeof d.apiVersion !== 'string') continue;
    if (!hasImmutableSelector(d.kind, d.apiVersion)) continue;
    const meta = obj(d.metadata);
    if (typeof meta.name !== 'string') continue;
    const selector = obj(d.spec).selector;
    if (selector === undefined) continue;
    const ns = typeof meta.namespace === 'string' ? meta.namespace : defaultNamespace;
    out.set(selectorKey(d.apiVersion, d.kind, ns, meta.name), canonical(selector));
  }
  return out;
};

/**
 * `workloads/selector-changed`: an object of the same identity whose selector differs from the previous render.
 * No previous render of the object (a new object, a new Application, no git) means no finding.
 */
export const selectorChanges = (ctx: AppContext, previous: PreviousSelectors, baseLabel: string): RawFinding[] =>
  ctx.objects.flatMap((o: RenderedObject): RawFinding[] => {
    if (!hasImmutableSelector(o.kind, o.apiVersion)) return [];
    const before = previous.get(selectorKey(o.apiVersion, o.kind, o.effectiveNamespace, o.name));
    const selector = obj(o.raw.spec).selector;
    if (before === undefined || selector === undefined) return [];
    const now = canonical(selector);
    if (now === before) return [];
    return [
      {
        rule: 'workloads/selector-changed',
        object: o,
        field: 'spec.selector',
        message: `spec.selector changed since ${baseLabel} (${before} → ${now}); it is immutable: the sync fails until the object is deleted and recreated`,
      },
    ];
  });
