// The tree's contract with the images it runs: what the rendered containers rely on (user, command, ports, paths,
// tools, nginx modules) must be what the image catalog read from each pinned tag's upstream Dockerfile. The objects
// come from the components' own renderers with the shipped fleet, never from the generated tree's files.
import { beforeAll, describe, expect, it } from 'vitest';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';

import { componentsFor } from '../../scripts/components/catalog.ts';
import type { K8sObject } from '../../scripts/components/component.ts';
import { baseContextFor } from '../../scripts/components/placement.ts';
import { lookupPin, type ImageFacts } from '../../scripts/images/catalog.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

interface RunningContainer {
  /** `<kind>/<name> <container>`: what a failure names. */
  readonly where: string;
  readonly init: boolean;
  readonly container: IContainer;
  readonly pod: IPodSpec;
  /** Image name (a key of the fleet's `images`). */
  readonly image: string;
  /** The facts of every tag some environment pins, with the tag. */
  readonly facts: ReadonlyArray<{ tag: string; facts: ImageFacts }>;
  /** The object the pod belongs to's fellow objects (ConfigMaps it mounts). */
  readonly objects: readonly K8sObject[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pod templates are read loosely
type Any = any;

const podSpecOf = (o: K8sObject): IPodSpec | undefined => {
  const spec = (o as Any).spec;
  if (o.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.spec;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)) return spec?.template?.spec;
  return undefined;
};

/** Every container the fleet's components render, with the catalog facts of each tag pinned for its image. */
const runningContainers = (fleet: Fleet): RunningContainer[] => {
  const components = componentsFor(fleet);
  const ctx = baseContextFor(fleet, components);
  const byRepository = new Map(Object.entries(fleet.images).map(([name, i]) => [i.repository, name]));
  const out: RunningContainer[] = [];
  for (const component of components) {
    const objects = component.base(ctx);
    for (const o of objects) {
      const pod = podSpecOf(o);
      if (pod === undefined) continue;
      const all = [...(pod.initContainers ?? []).map((c) => ({ c, init: true })), ...pod.containers.map((c) => ({ c, init: false }))];
      for (const { c, init } of all) {
        const image = byRepository.get(c.image ?? '');
        if (image === undefined) throw new Error(`${o.kind}/${o.metadata.name} ${c.name}: image ${c.image} is no fleet image`);
        const tags = [...new Set(fleet.environments.map((e) => e.versions[image]).filter((v): v is string => v !== undefined))];
        const facts = tags.flatMap((pin) => {
          const tag = pin.split('@')[0]!;
          const found = lookupPin(image, fleet.images[image]!.repository, tag);
          if (found.kind === 'missing') throw new Error(`${image}: ${found.reason}`);
          return found.kind === 'upstream' ? [{ tag, facts: found.tag.facts }] : [];
        });
        out.push({ where: `${o.kind}/${o.metadata.name} ${c.name}`, init, container: c, pod, image, facts, objects });
      }
    }
  }
  return out;
};

/** The uid a container runs as: its own securityContext, else the pod's. */
const runAsUser = (r: RunningContainer): number | undefined => r.container.securityContext?.runAsUser ?? r.pod.securityContext?.runAsUser;

/** The file a container mounts at `path`, when it comes from a ConfigMap key of the same component. */
const mountedConfig = (r: RunningContainer, path: string): string | undefined => {
  const mount = (r.container.volumeMounts ?? []).find((m) => m.mountPath === path);
  if (mount === undefined) return undefined;
  const volume = (r.pod.volumes ?? []).find((v) => v.name === mount.name);
  const name = volume?.configMap?.name;
  const cm = r.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as Any;
  return mount.subPath !== undefined ? cm?.data?.[mount.subPath] : undefined;
};

let containers: RunningContainer[];
beforeAll(async () => {
  containers = runningContainers(await loadFleet(DEFAULT_INVENTORY));
});

const upstream = (): RunningContainer[] => containers.filter((r) => r.facts.length > 0);
const ofImage = (image: string): RunningContainer[] => containers.filter((r) => r.image === image);
/** Containers that run the image's own program (no command of their own, or the image's binary). */
const nginxServers = (): RunningContainer[] => ofImage('nginx').filter((r) => r.container.command === undefined || r.container.command[0] === 'nginx');

describe('every container starts a program its image has', () => {
  it('gives a command where the image has no ENTRYPOINT', () => {
    const missing = upstream().filter((r) => r.container.command === undefined && r.facts.some((f) => f.facts.entrypoint === null));
    expect(missing.map((r) => `${r.where}: ${r.image} sets no ENTRYPOINT, so the container needs a command`)).toEqual([]);
  });

  it('names its command by a path or tool the image ships', () => {
    const bad = upstream().flatMap((r) => {
      const cmd = r.container.command?.[0];
      if (cmd === undefined) return [];
      return r.facts
        .filter(({ facts }) => (cmd.startsWith('/') ? !Object.values(facts.paths).includes(cmd) : !facts.tools.includes(cmd)))
        .map(({ tag }) => `${r.where}: ${r.image}:${tag} has no ${cmd}`);
    });
    expect(bad).toEqual([]);
  });

  it('runs exec probes with tools the image ships', () => {
    const bad = upstream().flatMap((r) =>
      [r.container.startupProbe, r.container.readinessProbe, r.container.livenessProbe].flatMap((p) => {
        const cmd = p?.exec?.command?.[0];
        if (cmd === undefined) return [];
        return r.facts
          .filter(({ facts }) => (cmd.startsWith('/') ? !Object.values(facts.paths).includes(cmd) : !facts.tools.includes(cmd)))
          .map(({ tag }) => `${r.where}: probe runs ${cmd}, which ${r.image}:${tag} lacks`);
      }),
    );
    expect(bad).toEqual([]);
  });
});

describe('xiu', () => {
  it('runs the binary where the Dockerfile copies it (it sets no ENTRYPOINT)', () => {
    const xiu = ofImage('xiu');
    expect(xiu.length).toBeGreaterThan(0);
    for (const r of xiu) for (const { facts } of r.facts) expect(r.container.command, r.where).toEqual([facts.paths.binary]);
  });
});

describe('nginx-unprivileged', () => {
  it('runs every nginx server as the image\'s user', () => {
    const servers = nginxServers();
    expect(servers.length).toBeGreaterThan(0);
    const wrong = servers.flatMap((r) =>
      r.facts
        .filter(({ facts }) => runAsUser(r) !== facts.uid)
        .map(({ tag, facts }) => `${r.where} runs as ${runAsUser(r)}; nginx:${tag} runs as ${facts.uid} (set the container's runAsUser)`),
    );
    expect(wrong).toEqual([]);
  });

  it('listens only on unprivileged ports, each a declared container port', () => {
    for (const r of nginxServers()) {
      const ports = (r.container.ports ?? []).map((p) => p.containerPort);
      expect(ports.every((p) => p >= 1024), `${r.where}: ${ports.join(', ')}`).toBe(true);
      const conf = mountedConfig(r, '/etc/nginx/nginx.conf');
      expect(conf, `${r.where}: nginx.conf from a ConfigMap`).toBeDefined();
      const listens = [...conf!.matchAll(/^\s*listen\s+(?:[\d.]+:)?(\d+)/gm)].map((m) => Number(m[1]));
      expect(listens.length, r.where).toBeGreaterThan(0);
      for (const port of listens) {
        expect(port, r.where).toBeGreaterThanOrEqual(1024);
        expect(ports, r.where).toContain(port);
      }
    }
  });

  it('loads only dynamic modules the image ships', () => {
    for (const r of nginxServers()) {
      const conf = mountedConfig(r, '/etc/nginx/nginx.conf') ?? '';
      const modules = [...conf.matchAll(/^\s*load_module\s+([^;\s]+);/gm)].map((m) => m[1]!);
      for (const { tag, facts } of r.facts) {
        for (const m of modules) expect(facts.nginxModules ?? [], `${r.where}: ${m} in nginx:${tag}`).toContain(m);
      }
    }
  });

  it('renders the origin config with the envsubst and shell the image ships', () => {
    const init = ofImage('nginx').filter((r) => r.init && r.container.name === 'render-config');
    expect(init.length).toBeGreaterThan(0);
    for (const r of init) {
      const script = (r.container.args ?? []).join(' ');
      // A POSIX sh script whose one external command is envsubst (case/echo/exit are shell builtins).
      expect(script).toMatch(/^envsubst /m);
      for (const { facts } of r.facts) {
        expect(facts.tools).toContain('envsubst');
        expect(r.container.command?.[0]).toBe(facts.paths.shell);
      }
    }
  });
});

describe('images whose user owns the paths the tree mounts or writes', () => {
  // (nginx: above, per server container.) The pod runs as the image's own uid: files the image ships for that user (data dirs, home, config) stay usable.
  it.each(['postgres', 'redis', 'rabbitmq', 'grafana', 'k6', 'tempo', 'otel-collector'])('%s runs as the uid its Dockerfile sets', (image) => {
    const running = ofImage(image).filter((r) => !r.init);
    expect(running.length).toBeGreaterThan(0);
    for (const r of running) {
      for (const { tag, facts } of r.facts) {
        expect(facts.uid, `${image}:${tag} sets a numeric USER`).not.toBeNull();
        expect(runAsUser(r), r.where).toBe(facts.uid);
      }
    }
  });
});
