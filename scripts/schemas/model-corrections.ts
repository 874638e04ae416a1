// Known places where a model package's validator is stricter than the API it models. Each correction drops the
// validator errors that the real CRD would not raise, with the reason; everything else is reported as is.
import type { SchemaIssue } from './registry.ts';

interface Correction {
  readonly package: string;
  /** Applies to errors about these values (JSON pointer; for `required`, the pointer of the missing property). */
  readonly path: RegExp;
  /** Applies to these ajv keywords. */
  readonly keywords: readonly string[];
  readonly why: string;
}

export const CORRECTIONS: readonly Correction[] = [
  {
    package: '@kubernetes-models/prometheus-operator',
    // Prometheus, Alertmanager and ThanosRuler `spec.storage.volumeClaimTemplate` (EmbeddedPersistentVolumeClaim).
    path: /\/volumeClaimTemplate\/(apiVersion|kind)$/,
    keywords: ['required', 'enum'],
    why:
      'the model types the embedded claim as a kind of its own (apiVersion monitoring.coreos.com/v1, kind ' +
      'EmbeddedPersistentVolumeClaim, both required); the CRD makes both optional strings and the operator ignores them',
  },
];

/** The issues left after dropping the package's known false positives. */
export const applyCorrections = (pkg: string, issues: readonly SchemaIssue[]): SchemaIssue[] =>
  issues.filter((i) => {
    const about = i.keyword === 'required' && i.missingProperty !== undefined ? `${i.path}/${i.missingProperty}` : i.path;
    return !CORRECTIONS.some((c) => c.package === pkg && c.keywords.includes(i.keyword ?? '') && c.path.test(about));
  });
