// Fleet-wide streaming settings reach the rendered config: ingest auth can be switched off (no ExternalSecret,
// no init step, xiu reads the ConfigMap directly) and segment/TTL settings drive xiu and the edge cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podSpecOf, renderFleetBuilds, type RenderedFleet } from '../../support/rendered.ts';

describe('streaming settings in fleet.yaml', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds({
      edits: [
        {
          file: 'fleet.yaml',
          path: ['streaming'],
          value: { origin: { ingestAuth: { enabled: false }, segmentSeconds: 6, gopCache: 2, httpFlv: false }, edge: { segmentTtlSeconds: 3600 } },
        },
      ],
    });
  });
  afterAll(async () => fleet?.dispose());

  it('ingestAuth.enabled: false renders no token placeholder, ExternalSecret or init container', () => {
    const config = fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'rtmp-origin-config').data!['config.toml']!;
    expect(config).not.toContain('[authsecret]');
    expect(config).not.toContain('[rtmp.auth]');
    expect(config).toContain('gop_num = 2');
    expect(fleet.objects('dev-k3d', 'streaming').filter((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'rtmp-origin-ingest')).toEqual([]);
    const pod = podSpecOf(fleet.find('dev-k3d', 'streaming', 'Deployment', 'rtmp-origin'));
    expect(pod.initContainers).toBeUndefined();
    expect(pod.containers[0]!.args).toEqual(['-c', '/etc/xiu/config.toml']);
  });

  it('httpFlv: false disables FLV in xiu and drops the flv. Ingress', () => {
    expect(fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'rtmp-origin-config').data!['config.toml']).toMatch(/\[httpflv\]\nenabled = false/);
    expect(fleet.objects('dev-k3d', 'streaming').some((o) => o.kind === 'Ingress' && o.metadata.name === 'rtmp-origin-flv')).toBe(false);
  });

  it('segment length and TTL drive the edge cache lifetimes (playlists: half a segment)', () => {
    const conf = fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'edge-cache-config').data!['nginx.conf']!;
    expect(conf).toContain('proxy_cache_valid 200 3s;');
    expect(conf).toContain('proxy_cache_valid 200 3600s;');
  });
});
