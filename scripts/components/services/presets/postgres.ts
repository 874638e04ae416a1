// The postgres preset: one Postgres server (primary only; replication is out of scope) on a persistent volume, with
// the postgres_exporter sidecar. Image facts, probes and the exporter are the transcoding stack's (one source).
import type { ServiceSpec } from '../../../inventory/system-schema.ts';
import { POSTGRES_PORT } from '../../transcoding/endpoints.ts';
import {
  PG_ISREADY,
  pgReadyCommand,
  postgres as transcodingPostgres,
  POSTGRES_ARGS,
  POSTGRES_DATA_DIR,
  POSTGRES_EXPORTER_PORT,
  POSTGRES_METRICS,
  POSTGRES_PGDATA,
  POSTGRES_SOCKET_DIR,
  POSTGRES_UID,
  postgresExporter,
} from '../../transcoding/postgres.ts';
import { PRESET_IMAGES } from '../../../inventory/preset-images.ts';
import { credentialEnv, dataVolume, sidecarSecretEnv, type CredentialProperty, type Preset } from './preset.ts';

/** `credentials.key` holds `username` and `password`: the superuser the image's entrypoint creates at initdb. */
const CREDENTIALS: readonly CredentialProperty[] = [
  { property: 'username', env: 'POSTGRES_USER' },
  { property: 'password', env: 'POSTGRES_PASSWORD' },
];

/** The database initdb creates: the one the spec names in POSTGRES_DB, else the service's name. */
const databaseOf = (service: string, spec: ServiceSpec): string => spec.env?.find((e) => e.name === 'POSTGRES_DB')?.value ?? service;

const defaults = (service: string, spec: ServiceSpec): ServiceSpec => ({
  image: PRESET_IMAGES.postgres.main,
  kind: 'StatefulSet',
  ports: [
    { name: 'postgres', port: POSTGRES_PORT, appProtocol: 'tcp' },
    { name: 'metrics', port: POSTGRES_EXPORTER_PORT, appProtocol: 'http' },
  ],
  args: [...POSTGRES_ARGS],
  env: [
    // A database of the service's name: two postgres services of a system each get their own.
    { name: 'POSTGRES_DB', value: service },
    { name: 'PGDATA', value: POSTGRES_PGDATA },
    ...credentialEnv(CREDENTIALS, spec),
  ],
  volumes: [dataVolume(POSTGRES_DATA_DIR), { name: 'run', mountPath: POSTGRES_SOCKET_DIR, emptyDir: { sizeLimit: '16Mi' } }],
  probes: {
    // initdb or crash recovery can take minutes on a large volume.
    startup: { exec: { command: [...PG_ISREADY] }, periodSeconds: 5, failureThreshold: 60 },
    readiness: { exec: { command: pgReadyCommand(databaseOf(service, spec)) }, periodSeconds: 10, timeoutSeconds: 5 },
    liveness: { tcp: { port: 'postgres' }, periodSeconds: 20, failureThreshold: 6 },
  },
  resources: transcodingPostgres.defaults.resources,
  runAsUser: POSTGRES_UID,
  replicas: 1,
  spread: 'required',
  // Postgres' smart shutdown waits for clients; give it time to checkpoint before SIGKILL.
  terminationGracePeriodSeconds: 120,
  metrics: { port: 'metrics' },
});

export const postgresPreset: Preset = {
  credentials: CREDENTIALS,
  defaults,
  sidecars: (service, spec) => (repository) => {
    const user = sidecarSecretEnv(service, spec, 'DATA_SOURCE_USER', 'POSTGRES_USER');
    const password = sidecarSecretEnv(service, spec, 'DATA_SOURCE_PASS', 'POSTGRES_PASSWORD');
    // Without credentials the service is rejected by the inventory checks; an exporter could not log in anyway.
    if (user === undefined || password === undefined) return [];
    const [image] = PRESET_IMAGES.postgres.sidecars;
    return [postgresExporter({ image: repository(image!), database: databaseOf(service, spec), user, password })];
  },
  metrics: POSTGRES_METRICS,
};
