// Rules about a service's environment variables: one source each, unique names, references to other services that
// resolve, and credentials that never sit in Git as literals.
import { exactlyOne, type ServiceContext } from './context.ts';
import { didYouMean } from '../suggest.ts';

/**
 * Names that say "credential". Kept tight so ordinary settings (CACHE_KEY, PARTITION_KEY, MAX_TOKENS, PASSWORD_FILE)
 * pass: the last word is PASSWORD, PASSWD, SECRET or TOKEN, or the last two are a key that is secret by name.
 */
const CREDENTIAL_LAST = new Set(['PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'APIKEY', 'CREDENTIALS']);
const CREDENTIAL_KEY = new Set(['API', 'SECRET', 'PRIVATE', 'ACCESS', 'SIGNING', 'ENCRYPTION', 'MASTER']);

export const looksLikeCredential = (name: string): boolean => {
  const words = name.toUpperCase().split('_').filter((w) => w !== '');
  const last = words[words.length - 1] ?? '';
  const before = words[words.length - 2] ?? '';
  return CREDENTIAL_LAST.has(last) || (last === 'KEY' && CREDENTIAL_KEY.has(before));
};

export function checkEnv(ctx: ServiceContext): void {
  const seen = new Map<string, number>();
  (ctx.spec.env ?? []).forEach((variable, i) => {
    const at = ['env', i];
    const first = seen.get(variable.name);
    if (first !== undefined) {
      ctx.issueOwn([...at, 'name'], 'value', `duplicate env name "${variable.name}": env[${first}] (line ${ctx.lineOf(['env', first])}) already sets it`);
    } else seen.set(variable.name, i);
    exactlyOne(ctx.issueOwn, at, variable, ['value', 'secret', 'fromService']);
    if (variable.value !== undefined && looksLikeCredential(variable.name)) {
      ctx.issueOwn(
        [...at, 'value'],
        'key',
        `"${variable.name}" is a credential by its name: expected a secret (secret: { key, property }, materialised by an ExternalSecret), found a literal value written to Git`,
      );
    }
    const ref = variable.fromService;
    if (ref === undefined) return;
    const target = ctx.service(ref.service);
    if (target === undefined) {
      ctx.issueOwn(
        [...at, 'fromService', 'service'],
        'value',
        `unknown service "${ref.service}"${didYouMean(ref.service, ctx.serviceNames)}; services of this system: ${ctx.serviceNames.join(', ')}`,
      );
      return;
    }
    const ports = (target.ports ?? []).map((p) => p.name);
    if (!ports.includes(ref.port)) {
      ctx.issueOwn(
        [...at, 'fromService', 'port'],
        'value',
        `expected a port of service "${ref.service}" (${ports.length === 0 ? 'it has none' : ports.join(', ')}), found "${ref.port}"${didYouMean(ref.port, ports)}`,
      );
    }
  });
}
