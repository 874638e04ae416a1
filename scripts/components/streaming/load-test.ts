// On-demand k6 load test, one per cluster: a CronJob that is always suspended, so Argo CD syncs it without ever
// running it; an operator starts a run with `kubectl -n streaming create job --from=cronjob/load-test <name>`.
// The script walks the viewer journey against the cluster's public hosts: login → catalog → license → manifest →
// segments. Size (VUs, duration) comes from the environment's `streaming.loadTest` settings. The objects are in the
// player's base unit; each cluster adds only the values (hosts, stream, size) as a JSON6902 patch.
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import { appLabels } from '../../lib/labels.ts';
import type { BaseContext, ClusterContext, JsonPatch, K8sObject } from '../component.ts';
import { configMap, emptyDir, restrictedContainer, restrictedPod } from '../builders.ts';
import { ANYWHERE, allowEgress, fromNamespace, INGRESS_NAMESPACE } from '../network-policies.ts';
import { externalSecret } from '../secrets.ts';
import { stackNamespace } from '../stacks.ts';
import { MESH_INGRESS_NAMESPACE } from './mesh.ts';
import { loadTestSettings, streamingHosts } from './settings.ts';

export const LOAD_TEST = 'load-test';
const NAMESPACE = stackNamespace('streaming');
const CREDENTIALS = `${LOAD_TEST}-credentials`;
const UID = 12345; // the grafana/k6 image's user

/**
 * The journey, the same on every cluster: hosts, stream and size come from the environment of the Job (set per
 * cluster by `loadTestPatch`), so the script and its CronJob live once in the player's base unit. k6 reads
 * `K6_VUS` and `K6_DURATION` itself; they override the script's options.
 */
export const K6_SCRIPT = [
  "import http from 'k6/http';",
  "import { check, sleep } from 'k6';",
  '',
  'export const options = {',
  "  thresholds: { http_req_failed: ['rate<0.01'], 'http_req_duration{step:segment}': ['p(95)<1000'] },",
  '};',
  '',
  'const API = __ENV.API_URL;',
  'const CDN = __ENV.CDN_URL;',
  'const STREAM = __ENV.STREAM;',
  '',
  'export default function () {',
  '  // The test account\'s login body comes whole from the ExternalSecret: no credential field in this script.',
  '  const login = http.post(`${API}/auth/login`, __ENV.K6_LOGIN_BODY,',
  "    { headers: { 'Content-Type': 'application/json' }, tags: { step: 'login' } });",
  "  check(login, { 'login 200': (r) => r.status === 200 });",
  "  const headers = { Authorization: `Bearer ${login.json('access_token')}` };",
  "  const catalog = http.get(`${API}/catalog/v1/channels`, { headers, tags: { step: 'catalog' } });",
  "  check(catalog, { 'catalog 200': (r) => r.status === 200 });",
  "  const license = http.post(`${API}/license/v1/acquire`, JSON.stringify({ channel: STREAM }), { headers, tags: { step: 'license' } });",
  "  check(license, { 'license 200': (r) => r.status === 200 });",
  "  const manifest = http.get(`${CDN}/live/${STREAM}/${STREAM}.m3u8`, { tags: { step: 'manifest' } });",
  "  check(manifest, { 'manifest 200': (r) => r.status === 200 });",
  "  const segments = manifest.body.split('\\n').filter((l) => l && !l.startsWith('#')).slice(-3);",
  '  for (const seg of segments) {',
  "    const r = http.get(`${CDN}/live/${STREAM}/${seg}`, { tags: { step: 'segment' } });",
  "    check(r, { 'segment 200': (x) => x.status === 200 });",
  '  }',
  '  sleep(1);',
  '}',
  '',
].join('\n');

/** The load test's objects, the same on every cluster (see `K6_SCRIPT`). */
export const loadTestObjects = (ctx: Pick<BaseContext, 'repository'>): K8sObject[] => {
  const labels = appLabels(LOAD_TEST, 'streaming');
  const cronJob: ICronJob & K8sObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: LOAD_TEST, namespace: NAMESPACE, labels },
    spec: {
      // Never runs on a schedule: suspended, and the schedule (1 January) only satisfies the API.
      suspend: true,
      schedule: '0 0 1 1 *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 0,
          ttlSecondsAfterFinished: 86400,
          template: {
            metadata: {
              labels,
              // On mesh clusters a sidecar would keep the Job from completing, and k6 only calls public hosts anyway;
              // elsewhere nothing reads the annotation.
              annotations: { 'sidecar.istio.io/inject': 'false' },
            },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              restartPolicy: 'Never',
              securityContext: restrictedPod(UID),
              containers: [
                {
                  name: 'k6',
                  image: ctx.repository('k6'),
                  args: ['run', '--summary-trend-stats=avg,p(95),p(99)', '/scripts/journey.js'],
                  env: [{ name: 'K6_LOGIN_BODY', valueFrom: { secretKeyRef: { name: CREDENTIALS, key: 'login.json' } } }],
                  resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '1Gi' } },
                  securityContext: restrictedContainer(),
                  volumeMounts: [
                    { name: 'script', mountPath: '/scripts', readOnly: true },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                },
              ],
              volumes: [{ name: 'script', configMap: { name: `${LOAD_TEST}-script` } }, emptyDir('tmp', '64Mi')],
            },
          },
        },
      },
    },
  };
  return [
    configMap({
      name: `${LOAD_TEST}-script`,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: LOAD_TEST,
      data: { 'journey.js': K6_SCRIPT },
    }),
    externalSecret({
      name: CREDENTIALS,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: LOAD_TEST,
      // A JSON object {"username": …, "password": …} stored as one value.
      data: [{ secretKey: 'login.json', remoteKey: 'streaming/load-test', property: 'login' }],
    }),
    cronJob,
    // The journey goes through the public hosts, as a viewer's would (hairpin through the load balancer).
    allowEgress({
      app: LOAD_TEST,
      namespace: NAMESPACE,
      rules: [{ to: [ANYWHERE, fromNamespace(INGRESS_NAMESPACE), fromNamespace(MESH_INGRESS_NAMESPACE)], ports: [443] }],
    }),
  ];
};

/** The cluster's values for the load test: its public hosts and the environment's stream and size. */
export const loadTestPatch = (ctx: ClusterContext): JsonPatch => {
  const hosts = streamingHosts(ctx.cluster.domain);
  const t = loadTestSettings(ctx.environment);
  const env: Record<string, string> = {
    API_URL: `https://${hosts.api}`,
    CDN_URL: `https://${hosts.cdn}`,
    STREAM: t.stream,
    K6_VUS: String(t.vus),
    K6_DURATION: t.duration,
  };
  return {
    target: { group: 'batch', version: 'v1', kind: 'CronJob', name: LOAD_TEST },
    ops: Object.entries(env).map(([name, value]) => ({ op: 'add', path: '/spec/jobTemplate/spec/template/spec/containers/0/env/-', value: { name, value } })),
  };
};
