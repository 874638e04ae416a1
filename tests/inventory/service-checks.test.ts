// The rules about one service of a system (scripts/inventory/service-checks.ts): a system file with every feature of
// the service spec is added to the shipped inventory and must give no issue; each row mutates it into one combination
// that cannot work, which must be rejected at the right file, line and field, with a message saying why.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue, InventoryError, type InventoryIssue } from '../../scripts/inventory/errors.ts';
import { parseInventory, type InventorySource } from '../../scripts/inventory/parse-inventory.ts';
import { looksLikeCredential } from '../../scripts/inventory/service-checks/env.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';
import { addFile, compose, defaultSources, edit, FLEET, lineOf, replaceOnce, textOf, type Mutation } from './helpers.ts';

const SYSTEM = 'inventory/systems/orders.yaml';

/** Every feature: each kind of env, volume, probe, trigger and exposure, all five presets, per-environment settings. */
const ORDERS = `schemaVersion: 1
description: Orders, a test system with every feature of the service spec
placement:
  clusters: [dev-k3d, staging-eu-west-1, prod-eu-west-1, prod-us-east-1]
services:
  orders-api:
    description: Public API
    image: api-service
    ports:
      - name: http
        port: 8080
      - name: grpc
        port: 9000
        appProtocol: grpc
      - name: metrics
        port: 9090
    command: [/app/server]
    args: [--listen=:8080]
    env:
      - name: LOG_LEVEL
        value: info
      - name: DB_PASSWORD
        secret: { key: orders/db, property: password }
      - name: GATEWAY_ADDR
        fromService: { service: orders-gateway, port: tcp }
      - name: DATABASE_HOST
        fromService: { service: orders-db, port: postgres }
    configFiles:
      - path: /etc/orders/config.yaml
        content: "mode: production"
    volumes:
      - name: scratch
        mountPath: /var/cache/orders
        emptyDir: { sizeLimit: 1Gi }
      - name: shared
        mountPath: /srv/shared
        persistent: { size: 10Gi, accessMode: ReadWriteMany }
    probes:
      startup:
        exec: { command: [/app/healthcheck] }
      readiness:
        http: { path: /ready, port: http }
      liveness:
        grpc: { port: 9000 }
    resources:
      requests: { cpu: 250m, memory: 256Mi }
      limits: { memory: 512Mi }
    autoscaling:
      minReplicas: 3
      maxReplicas: 10
      targetCPUUtilizationPercentage: 70
      targetMemoryUtilizationPercentage: 80
    disruptionBudget: { minAvailable: 2 }
    metrics: { port: metrics }
    expose:
      public:
        host: "orders.{domain}"
        port: http
        timeoutSeconds: 60
        retries: { attempts: 3 }
        via: mesh
    dependsOn: [orders-gateway, orders-db, orders-cache, orders-store]
    placement:
      capabilities: [mesh]
    environments:
      dev: { replicas: 1, disruptionBudget: { maxUnavailable: 1 } }
  orders-gateway:
    description: TCP gateway behind a load balancer, one volume per replica
    image: media-service
    kind: StatefulSet
    ports:
      - name: tcp
        port: 7000
        appProtocol: tcp
      - name: discovery
        port: 7001
        protocol: UDP
        appProtocol: tcp
    probes:
      readiness:
        tcp: { port: tcp }
      liveness:
        tcp: { port: 7000 }
    volumes:
      - name: state
        mountPath: /var/lib/gateway
        persistent: { size: 5Gi, accessMode: ReadWriteOnce }
    replicas: 3
    nodeSelector: { node-pool: general }
    tolerations:
      - { key: dedicated, operator: Equal, value: general, effect: NoSchedule }
    spread: required
    terminationGracePeriodSeconds: 60
    egress:
      - { cidr: 0.0.0.0/0, ports: [443] }
    expose:
      loadBalancer:
        ports: [tcp]
    environments:
      dev: { replicas: 1 }
  orders-worker:
    description: Queue consumer with no Service
    image: worker-service
    serviceAccount:
      annotations: { eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/orders-worker-{environment}" }
    env:
      - name: API_URL
        fromService: { service: orders-api, port: http, format: "http://{host}:{port}" }
    triggers:
      - rabbitmq:
          queue: orders
          value: 10
          connection: { service: orders-queue }
      - natsJetStream: { service: orders-events, stream: ORDERS, consumer: worker, lagThreshold: 10 }
      - sqs:
          queueURL: https://sqs.eu-west-1.amazonaws.com/123456789012/orders
          region: eu-west-1
          queueLength: 5
          auth: { podIdentity: aws }
      - prometheus: { query: "sum(orders_pending)", threshold: "20" }
    autoscaling:
      minReplicas: 1
      maxReplicas: 10
    environments:
      dev: { replicas: 1 }
  orders-db:
    preset: postgres
    credentials: { key: orders/db }
    volumes:
      - name: data
        mountPath: /var/lib/postgresql/data
        persistent: { size: 20Gi }
  orders-cache:
    preset: redis
    credentials: { key: orders/cache }
  orders-events:
    preset: nats
  orders-queue:
    preset: rabbitmq
    credentials: { key: orders/queue }
  orders-store:
    preset: minio
    credentials: { key: orders/store }
`;

/** Every image the system runs is declared in fleet.yaml (the nats preset's may not be shipped yet). */
const declareImages =
  (images: readonly string[]): Mutation =>
  (sources) => {
    const missing = images.filter((image) => !textOf(sources, FLEET).includes(`\n  ${image}:\n`));
    if (missing.length === 0) return [...sources];
    const lines = missing.map((image) => `  ${image}:\n    repository: docker.io/library/${image}\n`).join('');
    return edit(FLEET, replaceOnce('\nimages:\n', `\nimages:\n${lines}`))(sources);
  };

const withOrders = (text: string): Mutation => compose(declareImages(['nats', 'nats-exporter']), addFile(SYSTEM, text));

/** The issues in the system file (other files' issues are other tests' business). */
const issuesOf = (sources: readonly InventorySource[]): readonly InventoryIssue[] => {
  try {
    parseInventory(sources, TEST_CATALOG);
    return [];
  } catch (e) {
    if (e instanceof InventoryError) return e.issues.filter((i) => i.file === SYSTEM);
    throw e;
  }
};

interface Row {
  readonly name: string;
  /** Applied to the system file's text. */
  readonly change: (text: string) => string;
  /** The expected line holds the `nth` occurrence of `find` in the mutated file. */
  readonly find: string;
  readonly nth?: number;
  readonly field: string;
  readonly message: string;
  /** Issues expected, all at this field with this message fragment (one per probe of a preset, say); default 1. */
  readonly count?: number;
}

const api = (path: string): string => `services.orders-api.${path}`;
const gateway = (path: string): string => `services.orders-gateway.${path}`;
const worker = (path: string): string => `services.orders-worker.${path}`;

const rows: Row[] = [
  // 1. Environment variables
  {
    name: 'an env var with no value, secret or fromService',
    change: replaceOnce('      - name: LOG_LEVEL\n        value: info\n', '      - name: LOG_LEVEL\n'),
    find: '- name: LOG_LEVEL',
    field: api('env[0]'),
    message: 'expected exactly one of value, secret or fromService, found none',
  },
  {
    name: 'an env var with a value and a secret',
    change: replaceOnce('        value: info\n', '        value: info\n        secret: { key: orders/log }\n'),
    find: 'secret: { key: orders/log }',
    field: api('env[0].secret'),
    message: 'expected exactly one of value, secret or fromService, found value and secret',
  },
  {
    name: 'two env vars of one name',
    change: replaceOnce('- name: DB_PASSWORD', '- name: LOG_LEVEL'),
    find: '- name: LOG_LEVEL',
    nth: 2,
    field: api('env[1].name'),
    message: 'duplicate env name "LOG_LEVEL": env[0] (line 20) already sets it',
  },
  {
    name: 'fromService naming an unknown service',
    change: replaceOnce('{ service: orders-gateway, port: tcp }', '{ service: orders-gatway, port: tcp }'),
    find: 'orders-gatway',
    field: api('env[2].fromService.service'),
    message: 'unknown service "orders-gatway" (did you mean "orders-gateway"?)',
  },
  {
    name: 'fromService naming a port the service does not have',
    change: replaceOnce('{ service: orders-gateway, port: tcp }', '{ service: orders-gateway, port: http }'),
    find: 'fromService: { service: orders-gateway',
    field: api('env[2].fromService.port'),
    message: 'expected a port of service "orders-gateway" (tcp, discovery), found "http"',
  },
  {
    name: 'a credential as a literal value',
    change: replaceOnce('- name: LOG_LEVEL\n        value: info', '- name: API_TOKEN\n        value: s3cr3t'),
    find: 'value: s3cr3t',
    field: api('env[0].value'),
    message: '"API_TOKEN" is a credential by its name: expected a secret',
  },
  {
    name: 'fromService naming a port its preset does not bring',
    change: replaceOnce('{ service: orders-db, port: postgres }', '{ service: orders-db, port: pg }'),
    find: '{ service: orders-db, port: pg }',
    field: api('env[3].fromService.port'),
    message: 'expected a port of service "orders-db" (postgres, metrics), found "pg"',
  },
  // 2. Volumes and config files
  {
    name: 'a volume that is neither persistent nor emptyDir',
    change: replaceOnce('        emptyDir: { sizeLimit: 1Gi }\n', ''),
    find: '- name: scratch',
    field: api('volumes[0]'),
    message: 'expected exactly one of persistent or emptyDir, found none',
  },
  {
    name: 'a volume that is both persistent and emptyDir',
    change: replaceOnce('        emptyDir: { sizeLimit: 1Gi }\n', '        emptyDir: { sizeLimit: 1Gi }\n        persistent: { size: 1Gi }\n'),
    find: 'persistent: { size: 1Gi }',
    field: api('volumes[0].persistent'),
    message: 'expected exactly one of persistent or emptyDir, found emptyDir and persistent',
  },
  {
    name: 'two volumes of one name',
    change: replaceOnce('- name: shared', '- name: scratch'),
    find: '- name: scratch',
    nth: 2,
    field: api('volumes[1].name'),
    message: 'duplicate volume name "scratch": volumes[0]',
  },
  {
    name: 'two volumes on one mount path',
    change: replaceOnce('mountPath: /srv/shared', 'mountPath: /var/cache/orders'),
    find: 'mountPath: /var/cache/orders',
    nth: 2,
    field: api('volumes[1].mountPath'),
    message: 'duplicate mount path "/var/cache/orders": volume "scratch" is mounted there too',
  },
  {
    name: 'a config file inside a volume',
    change: replaceOnce('path: /etc/orders/config.yaml', 'path: /srv/shared/config.yaml'),
    find: 'path: /srv/shared/config.yaml',
    field: api('configFiles[0].path'),
    message: 'found "/srv/shared/config.yaml" inside volume "shared" (mounted at /srv/shared)',
  },
  {
    name: 'a ReadWriteOnce claim on a Deployment of several replicas',
    change: replaceOnce('accessMode: ReadWriteMany', 'accessMode: ReadWriteOnce'),
    find: 'persistent: { size: 10Gi',
    field: api('volumes[1].persistent.accessMode'),
    message: 'a ReadWriteOnce volume cannot be shared by the replicas of a Deployment, which runs up to 10 in prod',
  },
  {
    name: 'a database without a volume (its data on scratch space)',
    change: replaceOnce('persistent: { size: 20Gi }', 'emptyDir: {}'),
    find: 'emptyDir: {}',
    field: 'services.orders-db.volumes[0].emptyDir',
    message: 'a database without a volume: the postgres preset keeps its data in volume "data"',
  },
  // 3. Ports and probes
  {
    name: 'two ports of one name',
    change: replaceOnce('      - name: grpc\n', '      - name: http\n'),
    find: '- name: http',
    nth: 2,
    field: api('ports[1].name'),
    message: 'duplicate port name "http": ports[0] has it',
  },
  {
    name: 'two ports of one number',
    change: replaceOnce('        port: 9090\n', '        port: 8080\n'),
    find: 'port: 8080',
    nth: 2,
    field: api('ports[2].port'),
    message: 'duplicate container port 8080/TCP: ports[0] listens on it',
  },
  {
    name: 'a probe with two handlers',
    change: replaceOnce('        http: { path: /ready, port: http }\n', '        http: { path: /ready, port: http }\n        tcp: { port: http }\n'),
    find: 'tcp: { port: http }',
    field: api('probes.readiness.tcp'),
    message: 'expected exactly one of http, tcp, exec or grpc, found http and tcp',
  },
  {
    name: 'a probe on an unknown port',
    change: replaceOnce('{ path: /ready, port: http }', '{ path: /ready, port: htp }'),
    find: 'port: htp',
    field: api('probes.readiness.http.port'),
    message: 'expected a readiness probe port among the service\'s ports',
  },
  {
    name: 'an HTTP probe on a TCP-only port',
    change: replaceOnce('        tcp: { port: tcp }\n', '        http: { path: /, port: tcp }\n'),
    find: 'http: { path: /, port: tcp }',
    field: gateway('probes.readiness.http.port'),
    message: 'an HTTP probe on a TCP-only port (appProtocol: tcp)',
  },
  {
    name: 'a gRPC probe on an HTTP port',
    change: replaceOnce('grpc: { port: 9000 }', 'grpc: { port: 8080 }'),
    find: 'grpc: { port: 8080 }',
    field: api('probes.liveness.grpc.port'),
    message: 'a gRPC probe on a port that does not speak gRPC (appProtocol: http)',
  },
  {
    name: 'a TCP probe on a UDP port',
    change: replaceOnce('tcp: { port: 7000 }', 'tcp: { port: 7001 }'),
    find: 'tcp: { port: 7001 }',
    field: gateway('probes.liveness.tcp.port'),
    message: 'a TCP probe on a UDP port',
  },
  {
    name: 'a service with ports and no probes',
    change: replaceOnce('    probes:\n      readiness:\n        tcp: { port: tcp }\n      liveness:\n        tcp: { port: 7000 }\n', ''),
    find: '    ports:',
    nth: 2,
    field: gateway('ports'),
    message: 'a service with ports and no probes',
  },
  {
    name: 'metrics on an unknown port',
    change: replaceOnce('metrics: { port: metrics }', 'metrics: { port: metrix }'),
    find: 'metrics: { port: metrix }',
    field: api('metrics.port'),
    message: 'found "metrix" (did you mean "metrics"?)',
  },
  {
    name: 'a Postgres with an HTTP probe (on its TCP-only port)',
    change: replaceOnce('    preset: postgres\n', '    preset: postgres\n    probes:\n      readiness:\n        http: { path: /, port: postgres }\n'),
    find: 'http: { path: /, port: postgres }',
    field: 'services.orders-db.probes.readiness.http.port',
    message: 'an HTTP probe on a TCP-only port (appProtocol: tcp)',
  },
  {
    name: 'a preset\'s probes and metrics on ports the user replaced (reported at the preset)',
    change: replaceOnce('    preset: minio\n', '    preset: minio\n    ports:\n      - { name: api, port: 9000 }\n'),
    find: 'preset: minio',
    field: 'services.orders-store.preset',
    message: 'found "s3"',
    count: 4,
  },
  // 4. Scaling
  {
    name: 'replicas and autoscaling at one level',
    change: replaceOnce('    autoscaling:\n      minReplicas: 3\n', '    replicas: 2\n    autoscaling:\n      minReplicas: 3\n'),
    find: 'replicas: 2',
    field: api('replicas'),
    message: 'set either replicas or autoscaling, not both',
  },
  {
    name: 'targetQueueLength instead of triggers',
    change: replaceOnce('      minReplicas: 1\n      maxReplicas: 10\n', '      minReplicas: 1\n      maxReplicas: 10\n      targetQueueLength: 5\n'),
    find: 'targetQueueLength: 5',
    field: worker('autoscaling.targetQueueLength'),
    message: 'expected the queue under triggers',
  },
  {
    name: 'triggers without autoscaling in any environment',
    change: replaceOnce('    autoscaling:\n      minReplicas: 1\n      maxReplicas: 10\n', '    replicas: 2\n'),
    find: '    triggers:',
    field: worker('triggers'),
    message: 'triggers without autoscaling: in dev, prod and staging the service has a fixed replica count',
  },
  {
    name: 'a trigger of two kinds',
    change: replaceOnce('      - prometheus: { query: "sum(orders_pending)", threshold: "20" }', '      - prometheus: { query: "sum(orders_pending)", threshold: "20" }\n        natsJetStream: { service: orders-events, stream: ORDERS, consumer: w, lagThreshold: 1 }'),
    find: 'consumer: w, lagThreshold: 1',
    field: worker('triggers[3].natsJetStream'),
    message: 'expected exactly one of sqs, rabbitmq, natsJetStream or prometheus, found prometheus and natsJetStream',
  },
  {
    name: 'a RabbitMQ trigger without its connection',
    change: replaceOnce('connection: { service: orders-queue }', 'connection: {}'),
    find: 'connection: {}',
    field: worker('triggers[0].rabbitmq.connection'),
    message: 'a KEDA trigger without its connection: expected exactly one of secret or service, found none',
  },
  {
    name: 'a RabbitMQ connection through a secret and a service',
    change: replaceOnce('connection: { service: orders-queue }', 'connection: { service: orders-queue, secret: { key: orders/amqp } }'),
    find: 'connection: { service: orders-queue, secret',
    field: worker('triggers[0].rabbitmq.connection.secret'),
    message: 'expected exactly one of secret or service, found service and secret',
  },
  {
    name: 'a RabbitMQ connection to a service that is not RabbitMQ',
    change: replaceOnce('connection: { service: orders-queue }', 'connection: { service: orders-cache }'),
    find: 'connection: { service: orders-cache }',
    field: worker('triggers[0].rabbitmq.connection.service'),
    message: 'expected a rabbitmq preset service (the system\'s: orders-queue), found "orders-cache" (a redis preset)',
  },
  {
    name: 'a RabbitMQ connection to an unknown service',
    change: replaceOnce('connection: { service: orders-queue }', 'connection: { service: orders-qeue }'),
    find: 'connection: { service: orders-qeue }',
    field: worker('triggers[0].rabbitmq.connection.service'),
    message: 'unknown service "orders-qeue" (did you mean "orders-queue"?)',
  },
  {
    name: 'a JetStream trigger on a service that is not NATS',
    change: replaceOnce('natsJetStream: { service: orders-events,', 'natsJetStream: { service: orders-api,'),
    find: 'natsJetStream: { service: orders-api,',
    field: worker('triggers[1].natsJetStream.service'),
    message: 'expected a nats preset service (the system\'s: orders-events), found "orders-api" (not a preset)',
  },
  {
    name: 'an SQS trigger with pod identity and a secret',
    change: replaceOnce('auth: { podIdentity: aws }', 'auth: { podIdentity: aws, secret: { key: orders/sqs } }'),
    find: 'auth: { podIdentity: aws, secret',
    field: worker('triggers[2].sqs.auth.secret'),
    message: 'expected exactly one of podIdentity or secret, found podIdentity and secret',
  },
  {
    name: 'an SQS trigger without its connection',
    change: replaceOnce('auth: { podIdentity: aws }', 'auth: {}'),
    find: 'auth: {}',
    field: worker('triggers[2].sqs.auth'),
    message: 'a KEDA trigger without its connection: expected exactly one of podIdentity or secret, found none',
  },
  {
    name: 'an SQS trigger with pod identity on a service without an IAM role',
    change: replaceOnce('    serviceAccount:\n      annotations: { eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/orders-worker-{environment}" }\n', ''),
    find: 'auth: { podIdentity: aws }',
    field: worker('triggers[2].sqs.auth.podIdentity'),
    message: 'expected serviceAccount.annotations["eks.amazonaws.com/role-arn"] on the service',
  },
  {
    name: 'a CPU target without a CPU request',
    change: replaceOnce('requests: { cpu: 250m, memory: 256Mi }', 'requests: { memory: 256Mi }'),
    find: 'targetCPUUtilizationPercentage: 70',
    field: api('autoscaling.targetCPUUtilizationPercentage'),
    message: 'expected a cpu request in resources.requests (of the service or the environment) in prod and staging',
  },
  {
    name: 'autoscaling maxReplicas below minReplicas',
    change: replaceOnce('      maxReplicas: 10\n      targetCPU', '      maxReplicas: 2\n      targetCPU'),
    find: 'minReplicas: 3',
    field: api('autoscaling.minReplicas'),
    message: 'expected minReplicas ≤ maxReplicas, found minReplicas 3 > maxReplicas 2',
  },
  {
    name: 'a disruption budget no drain can meet',
    change: replaceOnce('disruptionBudget: { minAvailable: 2 }', 'disruptionBudget: { minAvailable: 3 }'),
    find: 'disruptionBudget: { minAvailable: 3 }',
    field: api('disruptionBudget.minAvailable'),
    message: 'expected minAvailable below the app\'s 3 replicas (autoscaling.minReplicas), found 3',
  },
  {
    name: 'a service-level budget against an environment\'s replica count',
    change: replaceOnce('dev: { replicas: 1, disruptionBudget: { maxUnavailable: 1 } }', 'dev: { replicas: 1 }'),
    find: 'disruptionBudget: { minAvailable: 2 }',
    field: api('disruptionBudget.minAvailable'),
    message: 'found 2: no drain could ever evict one (in dev, where services.orders-api.environments.dev sets the count)',
  },
  {
    name: 'a limit below its request',
    change: replaceOnce('limits: { memory: 512Mi }', 'limits: { memory: 200Mi }'),
    find: 'limits: { memory: 200Mi }',
    field: api('resources.limits.memory'),
    message: 'expected a memory limit of at least the request (256Mi), found 200Mi',
  },
  // 5. Exposure
  {
    name: 'a public route on an unknown port',
    change: replaceOnce('        port: http\n        timeoutSeconds', '        port: web\n        timeoutSeconds'),
    find: 'port: web',
    field: api('expose.public.port'),
    message: 'unknown port "web"',
  },
  {
    name: 'a public route on a TCP-only port',
    change: replaceOnce('    expose:\n      loadBalancer:\n', '    expose:\n      public: { host: "gw.{domain}", port: tcp }\n      loadBalancer:\n'),
    find: 'public: { host: "gw.{domain}", port: tcp }',
    field: gateway('expose.public.port'),
    message: 'expected an HTTP or gRPC port for a public route, found "tcp" (TCP, appProtocol tcp)',
  },
  {
    name: 'a public route on a service with no HTTP port',
    change: replaceOnce('    expose:\n      loadBalancer:\n', '    expose:\n      public: { host: "gw.{domain}" }\n      loadBalancer:\n'),
    find: 'public: { host: "gw.{domain}" }',
    field: gateway('expose.public'),
    message: 'a public route needs an HTTP port',
  },
  {
    name: 'a mesh route where the placement does not require the mesh',
    change: replaceOnce('    placement:\n      capabilities: [mesh]\n', ''),
    find: 'via: mesh',
    field: api('expose.public.via'),
    message: 'a mesh route on a cluster without the mesh',
  },
  {
    name: 'a load balancer on an unknown port',
    change: replaceOnce('ports: [tcp]', 'ports: [tpc]'),
    find: 'ports: [tpc]',
    field: gateway('expose.loadBalancer.ports[0]'),
    message: 'unknown port "tpc" (did you mean "tcp"?)',
  },
  {
    name: 'a load balancer mixing TCP and UDP',
    change: replaceOnce('ports: [tcp]', 'ports: [tcp, discovery]'),
    find: 'ports: [tcp, discovery]',
    field: gateway('expose.loadBalancer.ports'),
    message: 'expected the load balancer ports to share one protocol, found TCP and UDP',
  },
  // 6. Dependencies
  {
    name: 'a dependency on an unknown service',
    change: replaceOnce('dependsOn: [orders-gateway,', 'dependsOn: [orders-gatewy,'),
    find: 'dependsOn: [orders-gatewy,',
    field: api('dependsOn[0]'),
    message: 'unknown service "orders-gatewy" (did you mean "orders-gateway"?)',
  },
  {
    name: 'a dependency on itself',
    change: replaceOnce('dependsOn: [orders-gateway,', 'dependsOn: [orders-api,'),
    find: 'dependsOn: [orders-api,',
    field: api('dependsOn[0]'),
    message: 'expected another service of the system, found the service itself',
  },
  {
    name: 'a dependency with nothing to connect to',
    change: replaceOnce('dependsOn: [orders-gateway,', 'dependsOn: [orders-worker,'),
    find: 'dependsOn: [orders-worker,',
    field: api('dependsOn[0]'),
    message: 'service "orders-worker" has no ports: nothing to connect to',
  },
  // 7. Credentials
  {
    name: 'a postgres preset without credentials',
    change: replaceOnce('    credentials: { key: orders/db }\n', ''),
    find: 'preset: postgres',
    field: 'services.orders-db.preset',
    message: 'the postgres preset needs credentials: expected credentials: { key: <key in the secret store> } whose entry holds username and password',
  },
  {
    name: 'credentials on a service without a preset',
    change: replaceOnce('    image: worker-service\n', '    image: worker-service\n    credentials: { key: orders/worker }\n'),
    find: 'credentials: { key: orders/worker }',
    field: worker('credentials'),
    message: 'credentials are a preset\'s',
  },
  {
    name: 'credentials on a preset that takes none',
    change: replaceOnce('    preset: nats\n', '    preset: nats\n    credentials: { key: orders/events }\n'),
    find: 'credentials: { key: orders/events }',
    field: 'services.orders-events.credentials',
    message: 'the nats preset takes no credentials',
  },
  // 8. Placement
  {
    name: 'a service placed on a cluster outside its system\'s',
    change: replaceOnce('    preset: redis\n', '    preset: redis\n    placement: { clusters: [prod-gpu-us-east-1] }\n'),
    find: 'placement: { clusters: [prod-gpu-us-east-1] }',
    field: 'services.orders-cache.placement.clusters[0]',
    message: 'expected one of the system\'s placement clusters (dev-k3d, staging-eu-west-1, prod-eu-west-1, prod-us-east-1), found "prod-gpu-us-east-1": the service would never run there',
  },
  {
    name: 'settings for an environment the service does not run in',
    change: replaceOnce('    replicas: 3\n', '    replicas: 3\n    placement: { environments: [staging, prod] }\n'),
    find: 'dev: { replicas: 1 }',
    nth: 1,
    field: gateway('environments.dev'),
    message: 'settings for environment "dev", where the service does not run (its placement admits prod, staging)',
  },
];

describe('service checks', () => {
  let base: InventorySource[] = [];
  beforeAll(async () => {
    base = await defaultSources();
  });

  it('a system with every feature of the service spec has no issue', () => {
    expect(issuesOf(withOrders(ORDERS)(base)).map(formatIssue)).toEqual([]);
  });

  it.each(rows)('$name', (row) => {
    const text = row.change(ORDERS);
    const issues = issuesOf(withOrders(text)(base));
    const shown = `got:\n${issues.map(formatIssue).join('\n')}`;
    expect(issues, shown).toHaveLength(row.count ?? 1);
    for (const issue of issues) {
      expect(issue.field, shown).toBe(row.field);
      expect(issue.message, shown).toContain(row.message);
      expect(issue.line, shown).toBe(lineOf(text, row.find, row.nth));
    }
  });

  it('reports several problems of one file at once, each at its field', () => {
    const text = [
      replaceOnce('{ path: /ready, port: http }', '{ path: /ready, port: htp }'),
      replaceOnce('connection: { service: orders-queue }', 'connection: {}'),
      replaceOnce('persistent: { size: 20Gi }', 'emptyDir: {}'),
      replaceOnce('dependsOn: [orders-gateway,', 'dependsOn: [orders-api,'),
    ].reduce((t, change) => change(t), ORDERS);
    const issues = issuesOf(withOrders(text)(base));
    expect(issues.map((i) => [i.field, i.line])).toEqual(
      [
        [api('probes.readiness.http.port'), lineOf(text, 'port: htp')],
        [api('dependsOn[0]'), lineOf(text, 'dependsOn: [orders-api,')],
        [worker('triggers[0].rabbitmq.connection'), lineOf(text, 'connection: {}')],
        ['services.orders-db.volumes[0].emptyDir', lineOf(text, 'emptyDir: {}')],
      ].sort((a, b) => Number(a[1]) - Number(b[1])),
    );
  });
});

describe('credential-looking env names', () => {
  it.each(['DB_PASSWORD', 'PASSWORD', 'JWT_SECRET', 'GITHUB_TOKEN', 'STRIPE_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'SIGNING_KEY', 'OPENAI_APIKEY', 'db_passwd'])('%s is one', (name) => {
    expect(looksLikeCredential(name)).toBe(true);
  });
  it.each(['LOG_LEVEL', 'CACHE_KEY', 'PARTITION_KEY', 'S3_ACCESS_KEY_ID', 'PASSWORD_FILE', 'MAX_TOKENS', 'TOKEN_URL', 'KEY', 'SECRET_NAME'])('%s is not', (name) => {
    expect(looksLikeCredential(name)).toBe(false);
  });
});
