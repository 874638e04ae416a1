// Effective platform settings of one cluster: its own `platform:` blocks replace the fleet's whole (no deep
// merge: a cluster that switches secret provider must not inherit the other provider's fields).
import type { AcmeServer, AcmeSettings, SecretStoreSettings } from '../inventory/stack-settings/platform.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import { acmeServerFor } from './rules.ts';

export const acmeSettingsOf = (fleet: Fleet, cluster: Cluster): AcmeSettings => cluster.platform?.acme ?? fleet.platform?.acme ?? {};

export const secretStoreSettingsOf = (fleet: Fleet, cluster: Cluster): SecretStoreSettings =>
  cluster.platform?.secretStore ?? fleet.platform?.secretStore ?? {};

/** Let's Encrypt directory of an environment (rules.ts: production only at the end of the promotion chain). */
export const acmeServerOf = (env: Environment): AcmeServer => acmeServerFor(env);
