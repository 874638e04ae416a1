// Publish (ingest) authentication of the RTMP origin. xiu checks a `?token=` on RTMP push against the
// `[authsecret]` password of its config file and cannot read environment variables or extra files, so the token
// must be in the file it loads. The ConfigMap therefore carries only a `${XIU_PUBLISH_TOKEN}` placeholder; an
// init container substitutes the token from the ExternalSecret's Secret into an in-memory volume at pod start.
// Git, the ConfigMap and the pod spec never see the value. Viewing (HLS/HTTP-FLV pull) needs no token.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { K8sObject } from '../component.ts';
import { restrictedContainer } from '../builders.ts';
import { externalSecret } from '../secrets.ts';

/** The Secret (materialised by the ExternalSecret of the same name) holding the publish token. */
export const INGEST_SECRET = 'rtmp-origin-ingest';
export const INGEST_SECRET_KEY = 'publish-token';
/** The placeholder in the ConfigMap; `$` keeps it from reading as a credential literal. */
export const TOKEN_ENV = 'XIU_PUBLISH_TOKEN';
export const TOKEN_PLACEHOLDER = `\${${TOKEN_ENV}}`;
/** Where the init container writes the rendered config (memory-backed, never on disk). */
export const RENDERED_CONFIG_DIR = '/run/xiu';

export const ingestSecret = (s: { app: string; namespace: string; remoteKey: string }): K8sObject =>
  externalSecret({
    name: INGEST_SECRET,
    namespace: s.namespace,
    stack: 'streaming',
    app: s.app,
    data: [{ secretKey: INGEST_SECRET_KEY, remoteKey: s.remoteKey }],
  });

/**
 * The init container rendering `<configDir>/config.toml` with the token into RENDERED_CONFIG_DIR. It uses the
 * nginx image the stack already pins (it ships `envsubst`), so no extra image has to be trusted.
 */
export const renderConfigInit = (s: { image: string; configDir: string }): IContainer => ({
  name: 'render-config',
  image: s.image,
  command: ['/bin/sh', '-c'],
  // The token lands inside a TOML string, and publishers send it as a URL query value: refuse anything but URL-safe
  // characters with a message, rather than let a `"` or a newline make xiu panic on its config. Then substitute only
  // our variable: any other `$` in the config stays as written.
  args: [renderConfigScript(s.configDir)],
  env: [{ name: TOKEN_ENV, valueFrom: { secretKeyRef: { name: INGEST_SECRET, key: INGEST_SECRET_KEY } } }],
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
  securityContext: restrictedContainer(),
  volumeMounts: [
    { name: 'config', mountPath: s.configDir, readOnly: true },
    { name: 'rendered-config', mountPath: RENDERED_CONFIG_DIR },
  ],
});

/** POSIX sh, run by the init container; checked by shellcheck and run for real in the tests. */
export const renderConfigScript = (configDir: string): string =>
  [
    `case "$${TOKEN_ENV}" in`,
    `  '' | *[!A-Za-z0-9._~-]*)`,
    `    echo "the publish token (${INGEST_SECRET}/${INGEST_SECRET_KEY}) must be non-empty and use only A-Z a-z 0-9 . _ ~ -" >&2`,
    '    exit 1',
    '    ;;',
    'esac',
    '# shellcheck disable=SC2016 # the single quotes are envsubst\'s variable list, not an expansion',
    `envsubst '${TOKEN_PLACEHOLDER}' < ${configDir}/config.toml > ${RENDERED_CONFIG_DIR}/config.toml`,
  ].join('\n');

export const renderedConfigVolume = (): NonNullable<IPodSpec['volumes']>[number] => ({
  name: 'rendered-config',
  emptyDir: { medium: 'Memory', sizeLimit: '1Mi' },
});
