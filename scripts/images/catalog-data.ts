// The image catalog's data. Each upstream tag names the files it was read from (`repo @ ref : path`); those are
// the `Checked:` notes of this file. To add an image or a tag, read the files docs/images.md lists and copy only
// what they say; never fill a fact in from memory. Sorted by image name.
import type { ImageCatalogEntry, UpstreamFile } from './catalog.ts';

const file = (repo: string, ref: string, path: string, shows: string): UpstreamFile => ({ repo, ref, path, shows });

const internal = (name: string): ImageCatalogEntry => ({ name, source: 'internal', repository: `ghcr.io/acme-media/${name}` });

// The official images (docker.io/library/*) are pushed by Docker from the library file of docker-library/official-images:
// its `Tags:` line names every tag, `GitCommit`/`Directory` the Dockerfile.
const OFFICIAL = 'docker-library/official-images';

/** Both xiu tags build the same Dockerfile with the same release workflow (read at each tag). */
const xiuTag = (tag: string) => ({
  tag,
  pushedBy: [
    file('harlanc/xiu', `v${tag}`, '.github/workflows/release.yml', 'on a v* tag: `podman manifest push xiu docker.io/harlancn/xiu:${version}`, version = tag without the v'),
  ],
  dockerfile: file('harlanc/xiu', `v${tag}`, 'docker/Dockerfile', 'FROM ubuntu:latest; COPY --chmod=755 xiu /app/; no USER, ENTRYPOINT or CMD'),
  facts: {
    uid: null,
    // No ENTRYPOINT/CMD of its own: the container must run /app/xiu explicitly.
    entrypoint: null,
    cmd: null,
    // xiu takes its ports from the config file (-c); it listens on nothing by default.
    ports: [],
    tools: [],
    paths: { binary: '/app/xiu', startScript: '/app/start.sh' },
  },
  gaps: ['cmd: the ubuntu:latest base image\'s CMD applies (no CMD here); the tree never relies on it'],
});

const prometheusTag = (tag: string, promci: string) => ({
  tag,
  pushedBy: [
    file('prometheus/prometheus', tag, '.github/workflows/ci.yml', 'publish_release on v3.* tags runs promci\'s publish_release action'),
    file('prometheus/promci', promci, 'actions/publish_release/action.yml', 'pushes to quay.io, organization `prometheus` by default'),
    file('prometheus/prometheus', tag, 'Makefile.common', 'manifest `$(DOCKER_REPO)/$(DOCKER_IMAGE_NAME):$(DOCKER_IMAGE_TAG)`; Makefile sets DOCKER_IMAGE_NAME=prometheus'),
  ],
  dockerfile: file('prometheus/prometheus', tag, 'Dockerfile', 'FROM quay.io/prometheus/busybox; USER nobody; EXPOSE 9090; ENTRYPOINT /bin/prometheus'),
  facts: {
    uid: null,
    userName: 'nobody',
    entrypoint: ['/bin/prometheus'],
    cmd: null,
    ports: [9090],
    tools: ['prometheus', 'promtool'],
    paths: { binary: '/bin/prometheus' },
  },
  gaps: ['promci read at its stored commit 398bf55b4af62c6e1d860badd2d5e40d944cef35, not the pinned action commit; the tree runs Prometheus through the operator, which sets the container'],
});

export const IMAGE_CATALOG: readonly ImageCatalogEntry[] = [
  {
    name: 'alertmanager',
    source: 'upstream',
    repository: 'quay.io/prometheus/alertmanager',
    upstream: 'prometheus/alertmanager',
    tags: [
      {
        tag: 'v0.28.0',
        pushedBy: [
          file('prometheus/alertmanager', 'v0.28.0', '.github/workflows/release.yml', 'on v* tags: promci publish_release (quay.io organization `prometheus` by default)'),
          file('prometheus/alertmanager', 'v0.28.0', 'Makefile', 'DOCKER_IMAGE_NAME=alertmanager'),
        ],
        dockerfile: file('prometheus/alertmanager', 'v0.28.0', 'Dockerfile', 'USER nobody; EXPOSE 9093; WORKDIR /alertmanager; ENTRYPOINT /bin/alertmanager'),
        facts: {
          uid: null,
          userName: 'nobody',
          entrypoint: ['/bin/alertmanager'],
          cmd: null,
          ports: [9093],
          tools: ['alertmanager', 'amtool'],
          paths: { binary: '/bin/alertmanager', workdir: '/alertmanager' },
        },
        gaps: ['the tree runs Alertmanager through the Prometheus operator, which sets the container'],
      },
    ],
  },
  internal('api-service'),
  {
    name: 'aws-cli',
    source: 'upstream',
    repository: 'docker.io/amazon/aws-cli',
    upstream: 'aws/aws-cli',
    tags: [
      {
        // The last 2.22 release: 2.23.0 makes the CLI send CRC64NVME checksums (aws-chunked uploads) by default, which
        // S3-compatible stores (MinIO releases of the pinned age among them) do not all accept (CHANGELOG.rst @ 2.23.0).
        tag: '2.22.35',
        pushedBy: [file('aws/aws-cli', '2.22.35', 'scripts/installers/make-docker', 'builds docker/Dockerfile from the release exe zip with DEFAULT_TAGS = [amazon/aws-cli]')],
        dockerfile: file('aws/aws-cli', '2.22.35', 'docker/Dockerfile', 'FROM amazonlinux:2 (installer and final stage); aws-cli in /usr/local/aws-cli, aws in /usr/local/bin; no USER; WORKDIR /aws; ENTRYPOINT /usr/local/bin/aws'),
        facts: {
          uid: null,
          entrypoint: ['/usr/local/bin/aws'],
          cmd: null,
          ports: [],
          tools: ['sh', 'aws'],
          paths: { binary: '/usr/local/bin/aws', shell: '/bin/sh', workdir: '/aws' },
        },
        gaps: [
          'the push of amazon/aws-cli:<version> is done by AWS\'s release pipeline, which is not in the repository; make-docker shows the repository name only',
          '/bin/sh, date, sort, tr, awk, grep, sed, ls, mkdir (the backup store scripts) come from the amazonlinux:2 base image, whose contents were not read',
        ],
      },
    ],
  },
  internal('ffmpeg-worker'),
  internal('ffmpeg-worker-cuda'),
  {
    name: 'grafana',
    source: 'upstream',
    repository: 'docker.io/grafana/grafana',
    upstream: 'grafana/grafana',
    tags: [
      {
        tag: '11.4.0',
        pushedBy: [],
        dockerfile: file('grafana/grafana', '78515af65f036f536c4ab2e6fdb5484552f99f1f', 'Dockerfile', 'ARG GF_UID=472, GF_GID=0; EXPOSE 3000; USER $GF_UID; ENTRYPOINT /run.sh; provisioning under /etc/grafana/provisioning, data /var/lib/grafana'),
        facts: {
          uid: 472,
          entrypoint: ['/run.sh'],
          cmd: null,
          ports: [3000],
          tools: ['sh', 'bash', 'curl', 'grafana'],
          paths: { provisioning: '/etc/grafana/provisioning', data: '/var/lib/grafana', home: '/usr/share/grafana' },
        },
        gaps: [
          'the grafana/grafana repository is larger than a readable snapshot here: the Dockerfile was read at a later stored commit (78515af), not at v11.4.0',
          'the release pipeline that pushes docker.io/grafana/grafana:11.4.0 was not read',
        ],
      },
    ],
  },
  {
    name: 'k6',
    source: 'upstream',
    repository: 'docker.io/grafana/k6',
    upstream: 'grafana/k6',
    tags: [
      {
        tag: '0.55.0',
        pushedBy: [file('grafana/k6', 'v0.55.0', '.github/workflows/build.yml', 'on v* tags: buildx --push --target release -t grafana/k6:${VERSION#v} (Docker Hub) and ghcr.io/grafana/k6')],
        dockerfile: file('grafana/k6', 'v0.55.0', 'Dockerfile', 'target release: FROM alpine:3.20; adduser -u 12345 k6; USER k6; WORKDIR /home/k6; ENTRYPOINT ["k6"]'),
        facts: {
          uid: 12345,
          entrypoint: ['k6'],
          cmd: null,
          ports: [],
          tools: ['k6', 'sh'],
          paths: { binary: '/usr/bin/k6', workdir: '/home/k6' },
        },
      },
    ],
  },
  internal('media-service'),
  {
    name: 'minio',
    source: 'upstream',
    repository: 'quay.io/minio/minio',
    upstream: 'minio/minio',
    tags: [
      {
        tag: 'RELEASE.2024-12-18T13-15-44Z',
        pushedBy: [file('minio/minio', 'RELEASE.2024-12-18T13-15-44Z', 'docker-buildx.sh', 'release script: buildx --push -t quay.io/minio/minio:${release}, release = the latest tag, -f Dockerfile.release')],
        dockerfile: file('minio/minio', 'RELEASE.2024-12-18T13-15-44Z', 'Dockerfile.release', 'FROM ubi9/ubi-micro; minio, mc, curl in /usr/bin; no USER; EXPOSE 9000; ENTRYPOINT /usr/bin/docker-entrypoint.sh (#!/bin/sh); CMD minio'),
        facts: {
          uid: null,
          entrypoint: ['/usr/bin/docker-entrypoint.sh'],
          cmd: ['minio'],
          ports: [9000],
          tools: ['sh', 'minio', 'mc', 'curl'],
          paths: { binary: '/usr/bin/minio', shell: '/bin/sh' },
        },
        gaps: ['docker-buildx.sh is run by hand at release, not by CI'],
      },
    ],
  },
  {
    name: 'minio-mc',
    source: 'upstream',
    repository: 'quay.io/minio/mc',
    upstream: 'minio/mc',
    tags: [
      {
        tag: 'RELEASE.2024-11-21T17-21-54Z',
        pushedBy: [file('minio/mc', 'RELEASE.2024-11-21T17-21-54Z', 'docker-buildx.sh', 'release script: buildx --push -t quay.io/minio/mc:${release}, release = the latest tag, -f Dockerfile.release')],
        dockerfile: file('minio/mc', 'RELEASE.2024-11-21T17-21-54Z', 'Dockerfile.release', 'FROM ubi9/ubi-micro; mc at /usr/bin/mc; no USER; ENTRYPOINT ["mc"]'),
        facts: {
          uid: null,
          entrypoint: ['mc'],
          cmd: null,
          ports: [],
          tools: ['sh', 'mc'],
          paths: { binary: '/usr/bin/mc', shell: '/bin/sh' },
        },
        gaps: [
          '/bin/sh: not installed by this Dockerfile; it is in the ubi9/ubi-micro base, which minio/minio @ RELEASE.2024-12-18T13-15-44Z : Dockerfile.release also uses with a #!/bin/sh entrypoint',
          'ls, head, printf (the backup upload script) come from the same base and were not checked here',
        ],
      },
    ],
  },
  {
    name: 'nats',
    source: 'upstream',
    repository: 'docker.io/library/nats',
    upstream: 'nats-io/nats-docker',
    tags: [
      {
        tag: '2.14.5-scratch',
        pushedBy: [file(OFFICIAL, '9900378a0661514d7d5e94c617b77dba1ae0f0c8', 'library/nats', 'Tags: 2.14.5-scratch, 2.14-scratch, 2-scratch, scratch, 2.14.5-linux…; GitRepo nats-io/nats-docker, GitCommit aa0caa57…, Directory 2.14.x/scratch')],
        dockerfile: file('nats-io/nats-docker', 'aa0caa57b71c01566a100b47b2ed94de6ef6cf80', '2.14.x/scratch/Dockerfile', 'FROM scratch; /nats-server copied from nats:2.14.5-alpine3.22; no USER; EXPOSE 4222 8222 6222; ENTRYPOINT ["/nats-server"]; CMD ["--config", "nats-server.conf"]'),
        facts: {
          uid: null,
          entrypoint: ['/nats-server'],
          cmd: ['--config', 'nats-server.conf'],
          ports: [4222, 8222, 6222],
          // FROM scratch: no shell and no other program, so exec probes cannot run.
          tools: [],
          paths: { binary: '/nats-server', config: '/nats-server.conf' },
        },
      },
    ],
  },
  {
    name: 'nats-exporter',
    source: 'upstream',
    repository: 'docker.io/natsio/prometheus-nats-exporter',
    upstream: 'nats-io/prometheus-nats-exporter',
    tags: [
      {
        tag: '0.20.1',
        pushedBy: [
          file('nats-io/prometheus-nats-exporter', 'v0.20.1', '.github/workflows/release.yaml', 'on v* tags: bake with REGISTRY natsio, TAGS latest and the tag without its v, push'),
          file('nats-io/prometheus-nats-exporter', 'v0.20.1', 'docker-bake.hcl', 'target prometheus-nats-exporter: tags <REGISTRY>/prometheus-nats-exporter:<tag>, linux amd64/arm v6/arm v7/arm64 in CI, dockerfile cicd/Dockerfile'),
        ],
        dockerfile: file('nats-io/prometheus-nats-exporter', 'v0.20.1', 'cicd/Dockerfile', 'FROM alpine:3.23.4; /usr/local/bin/prometheus-nats-exporter, symlink /prometheus-nats-exporter; no USER, no EXPOSE; ENTRYPOINT ["/entrypoint.sh"] (exec "/${GO_APP}" "$@")'),
        facts: {
          uid: null,
          entrypoint: ['/entrypoint.sh'],
          cmd: null,
          // No EXPOSE: 7777 is the exporter's default listen port (exporter/exporter.go DefaultListenPort).
          ports: [7777],
          tools: ['prometheus-nats-exporter'],
          paths: { binary: '/usr/local/bin/prometheus-nats-exporter', entrypoint: '/entrypoint.sh' },
        },
      },
    ],
  },
  {
    name: 'nginx',
    source: 'upstream',
    repository: 'docker.io/nginxinc/nginx-unprivileged',
    upstream: 'nginxinc/docker-nginx-unprivileged',
    tags: [
      {
        tag: '1.27.3-alpine',
        pushedBy: [
          file('nginxinc/docker-nginx-unprivileged', '1.27.3', '.github/workflows/alpine-mainline.yml', 'job core: context mainline/alpine, images docker.io/nginxinc/nginx-unprivileged, tag <major>.<minor>.<patch>-alpine'),
          file('nginxinc/docker-nginx-unprivileged', '1.27.3', 'update.sh', '[mainline]=1.27.3, njs [mainline]=0.8.7'),
        ],
        dockerfile: file('nginxinc/docker-nginx-unprivileged', '1.27.3', 'mainline/alpine/Dockerfile', 'FROM …:1.27.3-alpine-slim; adds nginx-module-njs 0.8.7 (+xslt, geoip, image-filter), curl; USER 101'),
        facts: {
          uid: 101,
          entrypoint: ['/docker-entrypoint.sh'],
          cmd: ['nginx', '-g', 'daemon off;'],
          ports: [8080],
          // envsubst: mainline/alpine-slim/Dockerfile keeps gettext's envsubst in /usr/local/bin. wget: busybox's, which
          // that Dockerfile itself runs (`wget -O /tmp/nginx_signing.rsa.pub`) before installing anything.
          tools: ['sh', 'envsubst', 'wget', 'curl', 'nginx'],
          paths: {
            shell: '/bin/sh',
            envsubst: '/usr/local/bin/envsubst',
            pid: '/tmp/nginx.pid',
            cache: '/var/cache/nginx',
            // nginx/pkg-oss @ 1.27.3-1 : alpine/alpine/APKBUILD-{base,module}.in — modules install to
            // /usr/lib/nginx/modules and /etc/nginx/modules links there (prefix /etc/nginx).
            modulesDir: '/usr/lib/nginx/modules',
            njsHttpModule: '/usr/lib/nginx/modules/ngx_http_js_module.so',
            njsStreamModule: '/usr/lib/nginx/modules/ngx_stream_js_module.so',
          },
          // As `load_module` names them: nginx/pkg-oss @ 1.27.3-1 : alpine/Makefile.module-njs (MODULE_POST_njs).
          nginxModules: ['modules/ngx_http_js_module.so', 'modules/ngx_stream_js_module.so'],
        },
      },
    ],
  },
  {
    name: 'nginxlog-exporter',
    source: 'upstream',
    // Not ghcr.io/martin-helmich/prometheus-nginxlog-exporter/exporter: the GitHub registry only gets -amd64/-arm64 tags.
    repository: 'quay.io/martinhelmich/prometheus-nginxlog-exporter',
    upstream: 'martin-helmich/prometheus-nginxlog-exporter',
    tags: [
      {
        tag: 'v1.11.0',
        pushedBy: [
          file(
            'martin-helmich/prometheus-nginxlog-exporter',
            'v1.11.0',
            '.goreleaser.yml',
            'docker_manifests: quay.io/martinhelmich/prometheus-nginxlog-exporter:{{ .Tag }} (amd64+arm64); the GitHub registry path gets only {{ .Tag }}-amd64 / -arm64',
          ),
          file('martin-helmich/prometheus-nginxlog-exporter', 'v1.11.0', '.github/workflows/release.yml', 'on every tag: goreleaser release (logs in to quay.io and the GitHub registry)'),
        ],
        dockerfile: file('martin-helmich/prometheus-nginxlog-exporter', 'v1.11.0', '.goreleaser.Dockerfile', 'FROM scratch; /prometheus-nginxlog-exporter; EXPOSE 4040; no USER'),
        facts: {
          uid: null,
          entrypoint: ['/prometheus-nginxlog-exporter'],
          cmd: null,
          ports: [4040],
          tools: [],
          paths: { binary: '/prometheus-nginxlog-exporter' },
        },
      },
    ],
  },
  internal('ott-auth'),
  internal('ott-cas'),
  internal('ott-catalog'),
  internal('ott-license'),
  internal('ott-subscription'),
  {
    name: 'otel-collector',
    source: 'upstream',
    repository: 'docker.io/otel/opentelemetry-collector',
    upstream: 'open-telemetry/opentelemetry-collector-releases',
    tags: [
      {
        tag: '0.116.1',
        pushedBy: [file('open-telemetry/opentelemetry-collector-releases', 'v0.116.1', 'distributions/otelcol/.goreleaser.yaml', 'docker_manifests: otel/opentelemetry-collector:{{ .Version }} (tag without v)')],
        dockerfile: file('open-telemetry/opentelemetry-collector-releases', 'v0.116.1', 'distributions/otelcol/Dockerfile', 'FROM scratch; USER 10001; ENTRYPOINT /otelcol; CMD --config /etc/otelcol/config.yaml'),
        facts: {
          uid: 10001,
          entrypoint: ['/otelcol'],
          cmd: ['--config', '/etc/otelcol/config.yaml'],
          ports: [4317, 4318, 55678, 55679],
          tools: [],
          // distributions/otelcol/manifest.yaml: otlp receiver and exporter, batch and memory_limiter, health_check.
          paths: { binary: '/otelcol', config: '/etc/otelcol/config.yaml' },
        },
      },
    ],
  },
  {
    name: 'postgres',
    source: 'upstream',
    repository: 'docker.io/library/postgres',
    upstream: 'docker-library/postgres',
    tags: [
      {
        tag: '17.2',
        pushedBy: [file(OFFICIAL, 'fb1de64d371176f6edef21a8666d7e9d3e11c627', 'library/postgres', 'Tags: 17.2, 17, latest, 17.2-bookworm…; GitCommit 0b87a9bb…, Directory 17/bookworm')],
        dockerfile: file('docker-library/postgres', '0b87a9bbd23f56b1e9e863ecda5cc9e66416c4e0', '17/bookworm/Dockerfile', 'postgres uid/gid 999; PATH adds /usr/lib/postgresql/17/bin; PGDATA /var/lib/postgresql/data; /var/run/postgresql; EXPOSE 5432'),
        facts: {
          uid: 999,
          entrypoint: ['docker-entrypoint.sh'],
          cmd: ['postgres'],
          ports: [5432],
          tools: ['sh', 'postgres', 'pg_isready', 'pg_dump', 'pg_restore'],
          paths: { data: '/var/lib/postgresql/data', socketDir: '/var/run/postgresql', shell: '/bin/sh' },
        },
        gaps: ['pg_isready, pg_dump, pg_restore come with the postgresql-17 packages the Dockerfile installs; the package contents were not read'],
      },
    ],
  },
  {
    name: 'postgres-exporter',
    source: 'upstream',
    repository: 'quay.io/prometheuscommunity/postgres-exporter',
    upstream: 'prometheus-community/postgres_exporter',
    tags: [
      {
        tag: 'v0.16.0',
        pushedBy: [
          file('prometheus-community/postgres_exporter', 'v0.16.0', '.circleci/config.yml', 'prometheus/publish_release on v* tags, quay_io_organization prometheuscommunity'),
          file('prometheus-community/postgres_exporter', 'v0.16.0', 'Makefile', 'DOCKER_IMAGE_NAME=postgres-exporter'),
        ],
        dockerfile: file('prometheus-community/postgres_exporter', 'v0.16.0', 'Dockerfile', 'FROM quay.io/prometheus/busybox; USER nobody; EXPOSE 9187; ENTRYPOINT /bin/postgres_exporter'),
        facts: {
          uid: null,
          userName: 'nobody',
          entrypoint: ['/bin/postgres_exporter'],
          cmd: null,
          ports: [9187],
          tools: ['postgres_exporter'],
          paths: { binary: '/bin/postgres_exporter' },
        },
      },
    ],
  },
  { name: 'prometheus', source: 'upstream', repository: 'quay.io/prometheus/prometheus', upstream: 'prometheus/prometheus', tags: [prometheusTag('v3.0.1', '398bf55b4af62c6e1d860badd2d5e40d944cef35'), prometheusTag('v3.1.0', '398bf55b4af62c6e1d860badd2d5e40d944cef35')] },
  {
    name: 'rabbitmq',
    source: 'upstream',
    repository: 'docker.io/library/rabbitmq',
    upstream: 'docker-library/rabbitmq',
    tags: [
      {
        tag: '4.0.5',
        pushedBy: [file(OFFICIAL, '0af4809e0210d16bc792d9e76dea8bf4e4af71ed', 'library/rabbitmq', 'Tags: 4.0.5, 4.0, 4, latest; GitCommit 16db9e14…, Directory 4.0/ubuntu')],
        dockerfile: file('docker-library/rabbitmq', '16db9e144e0c83d82e82533870054e609dbc8ca4', '4.0/ubuntu/Dockerfile', 'rabbitmq uid/gid 999; data /var/lib/rabbitmq; /etc/rabbitmq; rabbitmq_prometheus enabled; EXPOSE 4369 5671 5672 15691 15692 25672'),
        facts: {
          uid: 999,
          entrypoint: ['docker-entrypoint.sh'],
          cmd: ['rabbitmq-server'],
          ports: [4369, 5671, 5672, 15691, 15692, 25672],
          tools: ['sh', 'rabbitmq-server', 'rabbitmqctl', 'rabbitmq-diagnostics', 'rabbitmq-plugins'],
          paths: { data: '/var/lib/rabbitmq', config: '/etc/rabbitmq', home: '/opt/rabbitmq' },
        },
        gaps: ['rabbitmq-diagnostics comes from the release tarball unpacked to /opt/rabbitmq (sbin on PATH); the Dockerfile runs rabbitmqctl and rabbitmq-plugins, not rabbitmq-diagnostics'],
      },
    ],
  },
  {
    name: 'redis',
    source: 'upstream',
    repository: 'docker.io/library/redis',
    upstream: 'redis/docker-library-redis',
    tags: [
      {
        tag: '7.4.2',
        pushedBy: [file(OFFICIAL, '171c4662a185fd5a76eb9f7d2827dc442ac3ab89', 'library/redis', 'Tags: 7.4.2, 7.4, 7, latest…; GitRepo redis/docker-library-redis, GitCommit 8338d86b…, Directory 7.4/debian')],
        dockerfile: file('redis/docker-library-redis', '0642e8613deef6a2838814944485fd4a057b8fb4', '7.4/debian/Dockerfile', 'FROM debian:bookworm-slim; redis uid/gid 999; redis-server, redis-cli in /usr/local/bin; WORKDIR /data; EXPOSE 6379'),
        facts: {
          uid: 999,
          entrypoint: ['docker-entrypoint.sh'],
          cmd: ['redis-server'],
          ports: [6379],
          tools: ['sh', 'redis-server', 'redis-cli'],
          paths: { data: '/data', shell: '/bin/sh' },
        },
        gaps: [
          'the release commit 8338d86bc3f7b195046138f8c31bf9a839cdedd3 is not in the stored copies; the Dockerfile was read at 0642e86 (7.4.3, same template: only the version lines differ)',
          'gzip and date (the redis backup script) come from the debian:bookworm-slim base and were not checked here',
        ],
      },
    ],
  },
  {
    name: 'redis-exporter',
    source: 'upstream',
    repository: 'docker.io/oliver006/redis_exporter',
    upstream: 'oliver006/redis_exporter',
    tags: [
      {
        tag: 'v1.67.0',
        pushedBy: [file('oliver006/redis_exporter', 'v1.67.0', '.github/workflows/release.yml', 'on tags: metadata-action (default tag = the git tag) for oliver006/redis_exporter, target scratch-release')],
        dockerfile: file('oliver006/redis_exporter', 'v1.67.0', 'Dockerfile', 'target scratch-release: /redis_exporter; USER 59000:59000; EXPOSE 9121'),
        facts: {
          uid: 59000,
          entrypoint: ['/redis_exporter'],
          cmd: null,
          ports: [9121],
          tools: [],
          paths: { binary: '/redis_exporter' },
        },
      },
    ],
  },
  {
    name: 'tempo',
    source: 'upstream',
    repository: 'docker.io/grafana/tempo',
    upstream: 'grafana/tempo',
    tags: [
      {
        tag: '2.6.1',
        pushedBy: [
          file('grafana/tempo', 'v2.6.1', '.drone/drone.jsonnet', 'on v* tags: per-arch images and the manifest, tags from tools/image-tag'),
          file('grafana/tempo', 'v2.6.1', '.drone/docker-manifest.tmpl', 'manifest grafana/{{config.target}}:{{build.tags}}'),
          file('grafana/tempo', 'v2.6.1', 'tools/image-tag', 'on a tag: the tag without its v'),
        ],
        dockerfile: file('grafana/tempo', 'v2.6.1', 'cmd/tempo/Dockerfile', 'FROM alpine:3.20; /tempo; tempo uid/gid 10001; /var/tempo owned by it; ENTRYPOINT /tempo'),
        facts: {
          uid: 10001,
          entrypoint: ['/tempo'],
          cmd: null,
          ports: [],
          tools: ['sh'],
          paths: { binary: '/tempo', data: '/var/tempo' },
        },
      },
    ],
  },
  internal('transcode-api'),
  internal('worker-service'),
  {
    name: 'xiu',
    source: 'upstream',
    repository: 'docker.io/harlancn/xiu',
    upstream: 'harlanc/xiu',
    tags: [xiuTag('0.12.4'), xiuTag('0.13.0')],
  },
  internal('xiu-exporter'),
];
