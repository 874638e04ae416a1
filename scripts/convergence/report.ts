// The first-sync simulation's findings in validate's report: each under the rule table's severity, blamed on the
// file that defines the object (a generated Application on its ApplicationSet's file), listed with the root.
import { RULE_BY_ID } from '../policy/rules.ts';
import type { Finding } from '../policy/types.ts';
import type { SimFinding } from './types.ts';

export interface Attribution {
  /** The file defining a root object, by ref (`ApplicationSet/argocd/streaming-prod`). */
  readonly fileOf: (ref: string) => string | undefined;
  /** The ApplicationSet (ref) that generates an Application, by Application name. */
  readonly generatedBy: (application: string) => string | undefined;
  /** The root Application's name and the file of its folder, for findings no object's file names. */
  readonly rootName: string;
  readonly fallbackFile: string;
}

const objectRefFor = (f: SimFinding, a: Attribution): string | undefined => {
  if (f.object.startsWith('Application/')) {
    const name = f.object.slice('Application/'.length).split('/').pop() ?? '';
    return a.generatedBy(name) ?? `Application/argocd/${name}`;
  }
  return f.object;
};

export const toPolicyFindings = (findings: readonly SimFinding[], a: Attribution): Finding[] =>
  findings.map((f) => {
    const info = RULE_BY_ID.get(f.rule);
    if (info === undefined) throw new Error(`rule ${f.rule} is not in the rule table`);
    const ref = objectRefFor(f, a);
    return {
      rule: f.rule,
      severity: info.severity,
      blocking: info.severity !== 'WARN',
      application: a.rootName,
      ...(f.cluster !== undefined ? { cluster: f.cluster } : {}),
      file: (ref !== undefined ? a.fileOf(ref) : undefined) ?? a.fallbackFile,
      object: f.object,
      ...(f.field !== undefined ? { field: f.field } : {}),
      message: f.message,
    };
  });
