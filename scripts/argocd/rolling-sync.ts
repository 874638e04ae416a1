// ApplicationSet progressive syncs (`spec.strategy.type: RollingSync`). Argo CD then turns off auto-sync on every
// generated Application and syncs them step by step; an Application no step selects is never synced by it.
// Step selection mirrors the controller: all matchExpressions must hold; `In` needs the label with a listed value;
// `NotIn` fails only when the label has a listed value (a missing label passes); the first matching step wins.
import { isObject, type JsonObject } from './kube.ts';

export interface MatchExpression {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

export interface RollingSync {
  readonly steps: readonly (readonly MatchExpression[])[];
  readonly defaultPrune: boolean;
}

const toExpression = (e: unknown): MatchExpression => {
  const o = isObject(e) ? e : {};
  return {
    key: typeof o.key === 'string' ? o.key : '',
    operator: typeof o.operator === 'string' ? o.operator : '',
    values: Array.isArray(o.values) ? o.values.filter((v): v is string => typeof v === 'string') : [],
  };
};

/** The RollingSync plan of an ApplicationSet, or undefined when it syncs all at once. */
export const rollingSyncOf = (appSet: JsonObject): RollingSync | undefined => {
  const strategy = isObject(appSet.spec) ? appSet.spec.strategy : undefined;
  if (!isObject(strategy) || strategy.type !== 'RollingSync') return undefined;
  const rolling = isObject(strategy.rollingSync) ? strategy.rollingSync : {};
  const steps = Array.isArray(rolling.steps) ? rolling.steps : [];
  return {
    steps: steps.map((s) => (isObject(s) && Array.isArray(s.matchExpressions) ? s.matchExpressions.map(toExpression) : [])),
    defaultPrune: rolling.defaultPrune === true,
  };
};

const expressionHolds = (labels: Readonly<Record<string, string>>, e: MatchExpression): boolean => {
  const value = labels[e.key];
  if (value === undefined) return e.operator !== 'In';
  if (e.operator === 'In') return e.values.includes(value);
  if (e.operator === 'NotIn') return !e.values.includes(value);
  return false; // Argo CD logs an error and does not select on other operators.
};

/** 1-based step that selects an Application with these labels, or undefined. */
export const stepOf = (plan: RollingSync, labels: Readonly<Record<string, string>>): number | undefined => {
  const index = plan.steps.findIndex((expressions) => expressions.every((e) => expressionHolds(labels, e)));
  return index < 0 ? undefined : index + 1;
};

/** Operators Argo CD does not evaluate (only In and NotIn are). */
export const unsupportedOperators = (plan: RollingSync): string[] =>
  [...new Set(plan.steps.flat().map((e) => e.operator).filter((op) => op !== 'In' && op !== 'NotIn'))];
