// Rules about `credentials`: a preset that needs them gets them, and a service that has no use for them does not
// carry them (the key would be read by nothing, and a reader would think the service authenticates).
import type { ServiceContext } from './context.ts';
import { PRESET_CREDENTIALS, presetRequiresCredentials } from '../../components/services/presets/index.ts';

export function checkCredentials(ctx: ServiceContext): void {
  const preset = ctx.spec.preset;
  if (preset === undefined) {
    if (ctx.spec.credentials !== undefined) {
      ctx.issueOwn(['credentials'], 'key', 'credentials are a preset\'s (its users and passwords): a service without a preset reads secrets through env (secret: { key, property })');
    }
    return;
  }
  const properties = PRESET_CREDENTIALS[preset].map((p) => p.property);
  if (presetRequiresCredentials(preset)) {
    if (ctx.spec.credentials === undefined) {
      ctx.issueOwn(
        ['preset'],
        'value',
        `the ${preset} preset needs credentials: expected credentials: { key: <key in the secret store> } whose entry holds ${properties.join(' and ')}`,
      );
    }
  } else if (ctx.spec.credentials !== undefined) {
    ctx.issueOwn(['credentials'], 'key', `the ${preset} preset takes no credentials (its image runs without them): remove credentials`);
  }
}
