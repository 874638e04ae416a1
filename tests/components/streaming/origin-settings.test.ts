// Fleet-wide streaming settings reach the rendered config: ingest auth can be switched off (no ExternalSecret, no
// init step, xiu reads the ConfigMap directly, [authsecret] still written because xiu requires it), HTTP-FLV can be
// switched off, the edge's segment TTL is the inventory's, and drainSeconds drives the origin's grace period, its
// preStop hooks and the prod HPA's scale-in pace. The removed segmentSeconds is an error saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';

import { main } from '../../../scripts/cli/gen.ts';
import { PLAYLIST_TTL_SECONDS } from '../../../scripts/components/streaming/edge-cache.ts';
import { drainScript, originScaleDownPolicy, terminationGraceSeconds } from '../../../scripts/components/streaming/origin-drain.ts';
import { sidecarDrainScript } from '../../../scripts/components/streaming/origin-http.ts';
import { RTMP_PORT, XIU_API_PORT } from '../../../scripts/components/streaming/rtmp-origin.ts';
import { xiuContract } from '../../../scripts/components/streaming/xiu-contract.ts';
import { retiredFieldReason } from '../../../scripts/inventory/retired-fields.ts';
import { FLEET, defaultSources, edit, inventoryError, lineOf, textOf } from '../../inventory/helpers.ts';
import { captureIo, removeDir, tempDir } from '../../support/fleet.ts';
import { editedInventory, podSpecOf, renderFleetBuilds, type RenderedFleet } from '../../support/rendered.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Any = any;

const DRAIN = 45;

describe('streaming settings in fleet.yaml', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds({
      edits: [
        {
          file: 'fleet.yaml',
          path: ['streaming'],
          value: { origin: { ingestAuth: { enabled: false }, gopCache: 2, httpFlv: false, drainSeconds: DRAIN }, edge: { segmentTtlSeconds: 3600 } },
        },
      ],
    });
  });
  afterAll(async () => fleet?.dispose());

  const origin = (cluster = 'dev-k3d'): Any => podSpecOf(fleet.find(cluster, 'streaming', 'Deployment', 'rtmp-origin'));

  it('ingestAuth.enabled: false still writes [authsecret] (xiu requires it), with an empty password and no push auth', () => {
    const config = fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'rtmp-origin-config').data!['config.toml']!;
    expect(config).toMatch(/^\[authsecret\]\nkey = ""\npassword = ""$/m);
    expect(config).not.toContain('XIU_PUBLISH_TOKEN');
    expect(config).not.toContain('[rtmp.auth]');
    expect(config).toContain('gop_num = 2');
  });

  it('ingestAuth.enabled: false renders no ExternalSecret or init container; xiu runs the ConfigMap file', () => {
    expect(fleet.objects('dev-k3d', 'streaming').filter((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'rtmp-origin-ingest')).toEqual([]);
    const pod = origin();
    expect(pod.initContainers).toBeUndefined();
    const xiu = pod.containers.find((c: Any) => c.name === 'xiu');
    expect(xiu.command).toEqual([xiuContract().binary]);
    expect(xiu.args).toEqual([xiuContract().configFlag, '/etc/xiu/config.toml']);
    expect(xiu.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/xiu', readOnly: true });
    expect(pod.volumes.map((v: Any) => v.name)).not.toContain('rendered-config');
  });

  it('httpFlv: false disables FLV in xiu and drops the flv. route: the Ingress (no mesh) and the VirtualService (mesh)', () => {
    expect(fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'rtmp-origin-config').data!['config.toml']).toMatch(/\[httpflv\]\nenabled = false/);
    expect(fleet.objects('dev-k3d', 'streaming').some((o) => o.kind === 'Ingress' && o.metadata.name === 'rtmp-origin-flv')).toBe(false);
    expect(fleet.objects('staging-eu-west-1', 'streaming').some((o) => o.kind === 'VirtualService' && o.metadata.name === 'rtmp-origin-flv')).toBe(false);
    const dnsNames = (fleet.find('staging-eu-west-1', 'streaming', 'Certificate', 'streaming-public').spec as Any).dnsNames as string[];
    expect(dnsNames.some((h) => h.startsWith('flv.'))).toBe(false);
    // HLS stays, through the edge.
    expect((fleet.find('dev-k3d', 'streaming', 'Ingress', 'rtmp-origin-hls').spec as Any).rules[0].http.paths[0].backend.service.name).toBe('edge-cache');
  });

  it('the segment TTL drives the edge cache lifetime of segments; playlists keep their fixed 1 s', () => {
    const conf = fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'edge-cache-config').data!['nginx.conf']!;
    expect(conf).toMatch(/\.ts\$" \{\n(?:[^\n]*\n)*?\s+proxy_cache_valid 200 3600s;/);
    expect(conf).toMatch(/m3u8\$" \{\n(?:[^\n]*\n)*?\s+proxy_cache_valid 200 1s;/);
    expect(PLAYLIST_TTL_SECONDS).toBe(1);
  });

  it.each(['dev-k3d', 'prod-eu-west-1'])('%s: drainSeconds drives the grace period (drain + 15) and both preStop hooks', (cluster) => {
    const pod = origin(cluster);
    expect(pod.terminationGracePeriodSeconds).toBe(DRAIN + 15);
    expect(pod.terminationGracePeriodSeconds).toBe(terminationGraceSeconds(DRAIN));
    const preStop = (name: string): string[] => pod.containers.find((c: Any) => c.name === name).lifecycle.preStop.exec.command;
    expect(preStop('xiu')).toEqual(['/bin/sh', '-c', drainScript(RTMP_PORT, DRAIN)]);
    expect(preStop('xiu')[2]).toContain(`+ ${DRAIN}))`);
    expect(preStop('origin-http')).toEqual(['/bin/sh', '-c', sidecarDrainScript(XIU_API_PORT, DRAIN)]);
    expect(preStop('origin-http')[2]).toContain(`+ ${DRAIN + 10}))`);
  });

  it('prod: the origin HPA scales in one pod per drain period (grace + 15 s)', () => {
    const scaleDown = (fleet.find('prod-eu-west-1', 'streaming', 'HorizontalPodAutoscaler', 'rtmp-origin').spec as Any).behavior.scaleDown;
    expect(scaleDown.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: DRAIN + 30 }]);
    expect(scaleDown.policies).toEqual([originScaleDownPolicy(DRAIN)]);
    expect(scaleDown.selectPolicy).toBe('Min');
  });
});

describe('the removed streaming.origin.segmentSeconds', () => {
  const withSegmentSeconds = edit(FLEET, (t) => `${t.trimEnd()}\nstreaming:\n  origin:\n    segmentSeconds: 6\n`);

  it('is an error at the field saying why it went and what to do, not "unknown field"', async () => {
    const sources = withSegmentSeconds(await defaultSources());
    const error = inventoryError(sources);
    // Only fleet.yaml's issues: a fleet.yaml that fails its schema also makes the cluster checks report the mesh
    // clusters' ACME solver (they cannot read fleet.yaml's platform block), which is not this test's subject.
    const fleetIssues = error.issues.filter((i) => i.file === FLEET);
    expect(fleetIssues.map((i) => ({ file: i.file, line: i.line, field: i.field }))).toEqual([
      { file: FLEET, line: lineOf(textOf(sources, FLEET), 'segmentSeconds: 6'), field: 'streaming.origin.segmentSeconds' },
    ]);
    const reason = retiredFieldReason(['streaming', 'origin', 'segmentSeconds'])!;
    expect(reason).toMatch(/^was removed: xiu cuts HLS segments at a fixed 5 s/);
    expect(fleetIssues[0]!.message).toBe(`field "segmentSeconds" ${reason}`);
    expect(fleetIssues[0]!.message).not.toContain('unknown field');
  });

  it('pnpm gen exits 2 naming file:line:col and the field, and writes nothing', async () => {
    const root = await tempDir('segment-seconds');
    try {
      const inventory = await editedInventory(root, [{ file: 'fleet.yaml', path: ['streaming'], value: { origin: { segmentSeconds: 6 } } }]);
      const io = captureIo();
      const out = join(root, 'out');
      expect(await main(['--inventory', inventory, '--out', out], io.io)).toBe(2);
      expect(io.err()).toMatch(/fleet\.yaml:\d+:\d+ streaming\.origin\.segmentSeconds: field "segmentSeconds" was removed: /);
      expect(io.err()).toContain('nothing was written');
    } finally {
      await removeDir(root);
    }
  });
});
