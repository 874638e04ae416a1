// Parameters of one ApplicationSet generator, when they can be known offline. Only the list generator can: its
// elements are written in the manifest. Every other generator asks Git, an SCM API or the cluster at run time,
// so the preview reports it instead of inventing parameters.

import type { GoValue } from './go-values.ts';
import { isObject } from './kube.ts';
import { yamlToJson11 } from './yaml11.ts';

/** Generators Argo CD knows, in the order its ApplicationSetGenerator type declares them. */
export const GENERATOR_KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'matrix', 'merge', 'plugin'] as const;

export type Params = Readonly<Record<string, GoValue>>;

export type GeneratorOutcome =
  | { readonly ok: true; readonly kind: 'list'; readonly params: readonly Params[] }
  | { readonly ok: false; readonly kind: string; readonly offline: boolean; readonly reason: string };

/** The generator's kind (`list`, `git`, …), or the keys it has when none is a known kind. */
export const generatorKind = (generator: unknown): string => {
  if (!isObject(generator)) return '(not a map)';
  const known = GENERATOR_KINDS.find((k) => generator[k] !== undefined && generator[k] !== null);
  return known ?? (Object.keys(generator).join('+') || '(empty)');
};

/** True when a value holds nothing but empty maps, lists, strings, false, 0 or null (Go's zero template). */
const isZero = (v: unknown): boolean => {
  if (v === null || v === undefined || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.values(v).every(isZero);
  return false;
};

const elementsFromYaml = (text: string): { elements?: unknown[]; reason?: string } => {
  // elementsYaml is itself templated only inside matrix/merge; a literal string is just YAML.
  if (text.includes('{{')) return { reason: 'elementsYaml contains a template and depends on a parent generator' };
  let parsed: unknown;
  try {
    // Argo CD reads elementsYaml with sigs.k8s.io/yaml, i.e. YAML 1.1 (applicationset/generators/list.go at v3.4.4).
    parsed = yamlToJson11(text);
  } catch (error) {
    return { reason: `elementsYaml is not valid YAML: ${(error as Error).message}` };
  }
  if (parsed === null || parsed === undefined) return { elements: [] };
  if (!Array.isArray(parsed)) return { reason: 'elementsYaml must be a YAML list' };
  return { elements: parsed };
};

/** Parameters of `generator`, or why they cannot be computed offline. */
export const generatorParams = (generator: unknown): GeneratorOutcome => {
  const kind = generatorKind(generator);
  if (!isObject(generator)) return { ok: false, kind, offline: false, reason: 'a generator must be a map' };
  if (kind !== 'list') {
    const known = (GENERATOR_KINDS as readonly string[]).includes(kind);
    return known
      ? { ok: false, kind, offline: true, reason: `the ${kind} generator reads ${kind === 'matrix' || kind === 'merge' ? 'its child generators' : 'live data'} and cannot be evaluated offline` }
      : { ok: false, kind, offline: false, reason: `unknown generator ${JSON.stringify(kind)}` };
  }
  if (generator.selector !== undefined && !isZero(generator.selector)) {
    return { ok: false, kind, offline: false, reason: 'a generator selector (post-filter on parameters) is not evaluated offline' };
  }
  const list = generator.list;
  if (!isObject(list)) return { ok: false, kind, offline: false, reason: 'list generator must be a map' };
  if (!isZero(list.template)) {
    return { ok: false, kind, offline: false, reason: 'a per-generator template (merged into spec.template with mergo) is not evaluated offline' };
  }
  const elements: unknown[] = [];
  if (list.elements !== undefined && list.elements !== null) {
    if (!Array.isArray(list.elements)) return { ok: false, kind, offline: false, reason: 'list.elements must be a list' };
    elements.push(...(list.elements as unknown[]));
  }
  if (typeof list.elementsYaml === 'string' && list.elementsYaml.trim().length > 0) {
    const fromYaml = elementsFromYaml(list.elementsYaml);
    if (fromYaml.elements === undefined) return { ok: false, kind, offline: false, reason: fromYaml.reason ?? 'elementsYaml' };
    elements.push(...fromYaml.elements);
  }
  const params: Params[] = [];
  for (const [i, element] of elements.entries()) {
    // Argo CD decodes each element into map[string]interface{}; anything else fails the whole ApplicationSet.
    if (!isObject(element)) return { ok: false, kind, offline: false, reason: `list element ${i} is not a map` };
    params.push(element as Params);
  }
  return { ok: true, kind: 'list', params };
};
