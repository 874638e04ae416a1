// Secrets never live in Git: no Secret objects with data, and no secret-looking literal in a container's env or
// in a ConfigMap. Credentials come from ExternalSecrets (or SealedSecrets).
import { obj, objs, str, strMap } from '../json.ts';
import type { AppRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf, workloadOf, type ContainerRef } from '../workloads.ts';

/** Names that say "this value is a credential". */
const SECRET_NAME = /(^|[_.-])(PASS(WORD|WD)?|SECRET|TOKEN|API[_-]?KEY|PRIVATE[_-]?KEY|ACCESS[_-]?KEY|CREDENTIALS?|AUTH)($|[_.-])/i;

/**
 * Values that look like credentials whatever they are called. `needs`: text every match contains, checked first
 * because it is much cheaper than the expression on long values (nginx configs, dashboards): the URL expression
 * starts with a character class, so it is tried at every letter of a value that holds no `://` at all.
 */
const SECRET_VALUES: ReadonlyArray<{ re: RegExp; what: string; needs?: string }> = [
  { re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' },
  { re: /\bAKIA[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, what: 'a GitHub token' },
  { re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, what: 'a Slack token' },
  { re: /\bsk_live_[A-Za-z0-9]{16,}/, what: 'a Stripe key' },
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, what: 'a JWT' },
  { re: /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i, what: 'a URL with a password', needs: '://' },
  { re: /\b(password|passwd|secret|api[_-]?key|token)\s*[:=]\s*["']?[^\s"'$<{]{6,}/i, what: 'a password assignment' },
];

/**
 * A setting that names how a credential works, not the credential (`MINIO_PROMETHEUS_AUTH_TYPE: public`,
 * `PASSWORD_MODE`): the secret word is followed by TYPE, MODE or METHOD at the end of the name. Its value is still
 * checked against SECRET_VALUES.
 */
const SETTING_OF_SECRET = /(PASS(WORD|WD)?|SECRET|TOKEN|AUTH)[_.-](TYPE|MODE|METHOD)$/i;

/** Why a name/value pair looks secret, or undefined. */
export const secretLiteral = (name: string, value: string): string | undefined => {
  if (value.trim().length === 0) return undefined;
  for (const { re, what, needs } of SECRET_VALUES) if ((needs === undefined || value.includes(needs)) && re.test(value)) return `value looks like ${what}`;
  if (SECRET_NAME.test(name) && !SETTING_OF_SECRET.test(name) && !value.includes('\n')) return `${name} holds a literal value`;
  return undefined;
};

/**
 * External Secrets target policies the operator's admission webhook refuses, so the ExternalSecret never syncs:
 * deletionPolicy Delete on a Secret the controller does not own (creationPolicy Merge, None, CreateOrMerge) would
 * delete a Secret someone else created; deletionPolicy Merge with creationPolicy None has no Secret to merge into.
 * Defaults: creationPolicy Owner, deletionPolicy Retain.
 * Checked: external-secrets/external-secrets @ v2.9.0 : apis/externalsecrets/v1/externalsecret_validator.go
 *   (validatePolicies) and apis/externalsecrets/v1/externalsecret_types.go (ExternalSecretTarget defaults); the
 *   inventory pins chart 2.9.0 (helm-chart-2.9.0 = v2.9.0).
 */
const esoPolicyProblem = (target: unknown): string | undefined => {
  const t = obj(target);
  const creation = str(t.creationPolicy) ?? 'Owner';
  const deletion = str(t.deletionPolicy) ?? 'Retain';
  if (deletion === 'Delete' && ['Merge', 'None', 'CreateOrMerge'].includes(creation)) {
    return `deletionPolicy Delete with creationPolicy ${creation}: the controller would delete a Secret it does not own (the webhook refuses it; use creationPolicy Owner)`;
  }
  if (deletion === 'Merge' && creation === 'None') return 'deletionPolicy Merge with creationPolicy None: there is no Secret to merge with (the webhook refuses it)';
  return undefined;
};

/** The ExternalSecret spec of an ExternalSecret, or of each ExternalSecret a ClusterExternalSecret creates. */
const externalSecretSpec = (o: RenderedObject): { spec: unknown; field: string } | undefined => {
  if (groupOf(o.apiVersion) !== 'external-secrets.io') return undefined;
  if (o.kind === 'ExternalSecret') return { spec: o.raw.spec, field: 'spec.target' };
  if (o.kind === 'ClusterExternalSecret') return { spec: obj(o.raw.spec).externalSecretSpec, field: 'spec.externalSecretSpec.target' };
  return undefined;
};

/**
 * A SealedSecret's scope is what its template's annotations say (the controller reads spec.template's metadata;
 * kubeseal writes the same annotation on the SealedSecret itself). Cluster-wide: anyone who can create a
 * SealedSecret in any namespace can decrypt it there, under any name.
 * Checked: bitnami-labs/sealed-secrets @ v0.36.6 : pkg/apis/sealedsecrets/v1alpha1/types.go
 *   (SealedSecretClusterWideAnnotation) and sealedsecret_expansion.go (SecretScope: the value "true"; Scope reads
 *   spec.template)
 */
const CLUSTER_WIDE = 'sealedsecrets.bitnami.com/cluster-wide';

const sealedClusterWide = (o: RenderedObject): string | undefined => {
  if (o.kind !== 'SealedSecret' || groupOf(o.apiVersion) !== 'bitnami.com') return undefined;
  if (strMap(obj(obj(obj(o.raw.spec).template).metadata).annotations)[CLUSTER_WIDE] === 'true') return `spec.template.metadata.annotations.${CLUSTER_WIDE}`;
  if (strMap(obj(o.raw.metadata).annotations)[CLUSTER_WIDE] === 'true') return `metadata.annotations.${CLUSTER_WIDE}`;
  return undefined;
};

/**
 * Secrets a container reads through its environment: env values leak into crash dumps, `/proc/<pid>/environ`,
 * child processes and logs of whatever prints its environment, and never change until a restart. Mounted as a
 * volume they are files, updated in place. A warning: many images read credentials only from the environment.
 */
const secretsInEnv = (c: ContainerRef): string[] => [
  ...objs(c.container.env).flatMap((e) => {
    const ref = obj(obj(e.valueFrom).secretKeyRef);
    const name = str(ref.name);
    return name === undefined ? [] : [name];
  }),
  ...objs(c.container.envFrom).flatMap((e) => {
    const name = str(obj(e.secretRef).name);
    return name === undefined ? [] : [name];
  }),
];

export const secrets: AppRule = (ctx) => {
  const out: RawFinding[] = [];
  for (const o of ctx.objects) {
    if (o.kind === 'Secret' && o.apiVersion === 'v1') {
      const hasData = Object.keys(obj(o.raw.data)).length > 0 || Object.keys(obj(o.raw.stringData)).length > 0;
      if (hasData) out.push({ rule: 'secrets/secret-object', object: o, message: 'a Secret with data in Git: use an ExternalSecret or a SealedSecret' });
    }
    if (o.kind === 'ConfigMap' && o.apiVersion === 'v1') {
      for (const [key, value] of Object.entries(obj(o.raw.data))) {
        const why = typeof value === 'string' ? secretLiteral(key, value) : undefined;
        if (why !== undefined) out.push({ rule: 'secrets/literal', object: o, field: `data.${key}`, message: `ConfigMap key ${key}: ${why}` });
      }
    }
    const es = externalSecretSpec(o);
    const esoWhy = es === undefined ? undefined : esoPolicyProblem(obj(es.spec).target);
    if (es !== undefined && esoWhy !== undefined) out.push({ rule: 'secrets/eso-merge-delete', object: o, field: es.field, message: esoWhy });
    const wide = sealedClusterWide(o);
    if (wide !== undefined) out.push({ rule: 'secrets/sealed-cluster-wide', object: o, field: wide, message: 'SealedSecret is cluster-wide: it can be unsealed in any namespace under any name; seal it strict (the default)' });
    const w = workloadOf(o);
    if (w?.podSpec === undefined) continue;
    for (const c of w.containers) {
      const viaEnv = [...new Set(secretsInEnv(c))];
      if (viaEnv.length > 0) {
        out.push({ rule: 'secrets/env', object: o, field: `${c.field}.${objs(c.container.env).some((e) => obj(e.valueFrom).secretKeyRef !== undefined) ? 'env' : 'envFrom'}`, message: `container ${c.name} reads Secret${viaEnv.length > 1 ? 's' : ''} ${viaEnv.join(', ')} through its environment: mount ${viaEnv.length > 1 ? 'them' : 'it'} as a volume` });
      }
      objs(c.container.env).forEach((e, i) => {
        const name = str(e.name) ?? '';
        const value = str(e.value);
        const why = value === undefined ? undefined : secretLiteral(name, value);
        if (why !== undefined) out.push({ rule: 'secrets/literal', object: o, field: `${c.field}.env[${i}].value`, message: `container ${c.name} env ${name}: ${why}` });
      });
    }
  }
  return out;
};
