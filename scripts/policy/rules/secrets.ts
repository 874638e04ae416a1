// Secrets never live in Git: no Secret objects with data, and no secret-looking literal in a container's env or
// in a ConfigMap. Credentials come from ExternalSecrets (or SealedSecrets).
import { obj, objs, str } from '../json.ts';
import type { AppRule, RawFinding } from '../types.ts';
import { workloadOf } from '../workloads.ts';

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

/** Why a name/value pair looks secret, or undefined. */
export const secretLiteral = (name: string, value: string): string | undefined => {
  if (value.trim().length === 0) return undefined;
  for (const { re, what, needs } of SECRET_VALUES) if ((needs === undefined || value.includes(needs)) && re.test(value)) return `value looks like ${what}`;
  if (SECRET_NAME.test(name) && !value.includes('\n')) return `${name} holds a literal value`;
  return undefined;
};

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
    const w = workloadOf(o);
    if (w?.podSpec === undefined) continue;
    for (const c of w.containers) {
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
