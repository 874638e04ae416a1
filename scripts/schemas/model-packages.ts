// The model packages whose validators `pnpm validate` uses, one per API family. Each package ships, per kind, a
// class with a compiled validator (ajv standalone code) and TypeScript definitions; the definitions are what
// `build-known-fields.ts` reads to derive the strict field sets (see known-fields/).

export interface ModelPackage {
  /** npm name, also the import prefix: `<name>/<group>/<version>/<Kind>`. */
  readonly name: string;
  /** What it covers, for the README and `--help`. */
  readonly covers: string;
}

export const MODEL_PACKAGES: readonly ModelPackage[] = [
  { name: 'kubernetes-models', covers: 'Kubernetes API (core and built-in groups)' },
  { name: '@kubernetes-models/argo-cd', covers: 'Argo CD (argoproj.io)' },
  { name: '@kubernetes-models/cert-manager', covers: 'cert-manager (cert-manager.io, acme.cert-manager.io)' },
  { name: '@kubernetes-models/external-secrets', covers: 'external-secrets (external-secrets.io)' },
  { name: '@kubernetes-models/istio', covers: 'Istio (networking/security/telemetry.istio.io)' },
  { name: '@kubernetes-models/keda', covers: 'KEDA (keda.sh)' },
  { name: '@kubernetes-models/prometheus-operator', covers: 'Prometheus operator (monitoring.coreos.com)' },
  { name: '@kubernetes-models/sealed-secrets', covers: 'sealed-secrets (bitnami.com)' },
];

/** File name of a package's generated field table under known-fields/: `@kubernetes-models/keda` → `keda.json`. */
export const knownFieldsFile = (pkg: string): string => `${pkg.replace(/^@kubernetes-models\//, '')}.json`;
