// The generated origin against what xiu really reads (xiu-contract.ts): the config as a TOML parser sees it, for every
// combination of the settings that shape it; the container command the image needs and the config path the pod
// really has; and the two other places the contract reaches: the edge's playlist staleness and the origin-http
// sidecar's stream API. The re-injection cases show the checker catches the defects it exists for.
import { posix } from 'node:path';

import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { beforeAll, describe, expect, it } from 'vitest';

import { componentsFor } from '../../../scripts/components/catalog.ts';
import type { K8sObject } from '../../../scripts/components/component.ts';
import { baseContextFor } from '../../../scripts/components/placement.ts';
import { edgeNginxConfig, PLAYLIST_REFRESH_SECONDS, PLAYLIST_STALE_BOUND_SECONDS, PLAYLIST_TTL_SECONDS } from '../../../scripts/components/streaming/edge-cache.ts';
import { TOKEN_PLACEHOLDER } from '../../../scripts/components/streaming/ingest-auth.ts';
import { originHttpNginxConfig, originHttpScript } from '../../../scripts/components/streaming/origin-http.ts';
import { FLV_PORT, rtmpOrigin, XIU_API_PORT, xiuConfig } from '../../../scripts/components/streaming/rtmp-origin.ts';
import { edgeSettings, originSettings } from '../../../scripts/components/streaming/settings.ts';
import { SUPPORTED_XIU_VERSIONS, XIU_CONTRACTS, xiuContract, type XiuContract } from '../../../scripts/components/streaming/xiu-contract.ts';
import { StreamingFleetSettingsSchema } from '../../../scripts/inventory/stack-settings/streaming.ts';
import type { Fleet } from '../../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../../support/fleet.ts';
import { checkXiuConfig, parseXiuToml } from './xiu-config-check.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed TOML and pod templates are read loosely
type Any = any;

const CONTRACTS: XiuContract[] = SUPPORTED_XIU_VERSIONS.map((v) => XIU_CONTRACTS[v]!);
const bools = [true, false] as const;
const COMBINATIONS = bools.flatMap((auth) => bools.flatMap((hls) => bools.map((httpFlv) => ({ auth, hls, httpFlv }))));

const settingsOf = (c: { auth: boolean; hls: boolean; httpFlv: boolean }): ReturnType<typeof originSettings> =>
  originSettings({ streaming: { origin: { ingestAuth: { enabled: c.auth }, hls: c.hls, httpFlv: c.httpFlv } } });

/** The config as xiu loads it: with auth, after the init container substituted the token. */
const loaded = (text: string, token = 'publish-token-1'): string => text.replaceAll(TOKEN_PLACEHOLDER, token);

describe('xiu config.toml against the contract of every supported version', () => {
  it('there is at least one supported version, and every supported version agrees on what the generator uses', () => {
    expect(CONTRACTS.length).toBeGreaterThan(0);
    const used = (c: XiuContract): unknown => [c.binary, c.configFlag, c.hlsSegmentSeconds, c.streamsApiPath, c.defaultApiPort, c.gracefulSignal];
    for (const c of CONTRACTS) expect(used(c), c.version).toEqual(used(xiuContract()));
  });

  describe.each(CONTRACTS.map((c) => ({ version: c.version, contract: c })))('xiu $version', ({ contract }) => {
    it.each(COMBINATIONS)('ingestAuth $auth, hls $hls, httpFlv $httpFlv: xiu reads every key as written', (c) => {
      const text = xiuConfig(settingsOf(c));
      const config = parseXiuToml(loaded(text)) as Any;
      expect(checkXiuConfig(config, contract)).toEqual([]);
      // And the values say what the settings say.
      expect(config.hls.enabled).toBe(c.hls);
      expect(config.httpflv.enabled).toBe(c.httpFlv);
      expect(config.rtmp.enabled).toBe(true);
      expect(config.httpapi.port).toBe(BigInt(contract.defaultApiPort));
      expect(config.authsecret).toEqual({ key: '', password: c.auth ? 'publish-token-1' : '' });
      if (c.auth) expect(config.rtmp.auth).toEqual({ pull_enabled: false, push_enabled: true, algorithm: 'simple' });
      else expect(config.rtmp.auth).toBeUndefined();
      // The ConfigMap itself (with the placeholder) is valid TOML of the same shape.
      expect(checkXiuConfig(parseXiuToml(text), contract)).toEqual([]);
    });

    const levels = ((StreamingFleetSettingsSchema.properties.origin as Any).properties.logLevel.enum as string[]).map((level) => ({ level }));
    it.each(levels)('logLevel $level (every level the inventory schema allows) is one xiu knows', ({ level }) => {
      const config = parseXiuToml(xiuConfig(originSettings({ streaming: { origin: { logLevel: level as Any } } })));
      expect(checkXiuConfig(config, contract)).toEqual([]);
    });
  });
});

describe('the checker finds the defects it exists for (re-injection)', () => {
  const good = loaded(xiuConfig(settingsOf({ auth: true, hls: true, httpFlv: true })));
  const replaceOnce = (text: string, from: string | RegExp, to: string): string => {
    const out = text.replace(from, to);
    if (out === text) throw new Error(`test setup: ${String(from)} not found`);
    return out;
  };

  it.each([
    {
      name: 'no [authsecret] (xiu panics in toml::from_str(..).unwrap())',
      text: replaceOnce(good, /\[authsecret\]\n(?:[^\n[]+\n)*/, ''),
      finding: 'authsecret: required table missing (xiu does not start)',
    },
    {
      name: 'a key xiu does not read: segment_seconds under [hls] (the segmentSeconds defect)',
      text: replaceOnce(good, '[hls]\n', '[hls]\nsegment_seconds = 2\n'),
      finding: 'hls.segment_seconds: unknown key (xiu ignores it)',
    },
    { name: 'a table xiu does not read', text: `${good}\n[hls.cache]\nttl = 2\n`, finding: 'hls.cache: unknown table (xiu ignores it)' },
    { name: 'a top-level table xiu does not read', text: `${good}\n[edge]\nport = 1\n`, finding: 'edge: unknown table (xiu ignores it)' },
    { name: 'a port as a string', text: replaceOnce(good, `port = ${FLV_PORT}`, `port = "${FLV_PORT}"`), finding: 'httpflv.port: expected integer, found string' },
    { name: 'a port as a float', text: replaceOnce(good, `port = ${FLV_PORT}`, `port = ${FLV_PORT}.0`), finding: 'httpflv.port: expected integer, found float' },
    { name: 'a required key missing', text: replaceOnce(good, 'need_record = false\n', ''), finding: 'hls.need_record: required key missing (xiu does not start)' },
    { name: 'an enum value xiu does not know', text: replaceOnce(good, 'level = "info"', 'level = "verbose"'), finding: 'log.level: "verbose" is not one of trace, debug, info, warn, error' },
    { name: 'an auth algorithm xiu does not know', text: replaceOnce(good, 'algorithm = "simple"', 'algorithm = "sha256"'), finding: 'rtmp.auth.algorithm: "sha256" is not one of simple, md5' },
  ])('$name', ({ text, finding }) => {
    expect(checkXiuConfig(parseXiuToml(text), xiuContract())).toEqual([finding]);
  });
});

describe('the origin Deployment runs xiu as the image needs, on the file the pod has', () => {
  const podOf = (objects: readonly K8sObject[]): IPodSpec => (objects.find((o) => o.kind === 'Deployment') as Any).spec.template.spec;
  const withAuth = (fleet: Fleet, enabled: boolean): Fleet => ({
    ...fleet,
    streaming: { ...fleet.streaming, origin: { ...fleet.streaming?.origin, ingestAuth: { ...fleet.streaming?.origin?.ingestAuth, enabled } } },
  });
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await loadFleet(DEFAULT_INVENTORY);
  });
  const render = (enabled: boolean): K8sObject[] => {
    const f = withAuth(fleet, enabled);
    return rtmpOrigin.base(baseContextFor(f, componentsFor(f)));
  };

  /** The volume and file name behind `path` in `container`: a directory mount, or a subPath mount of the file. */
  const fileBehind = (container: IContainer, path: string): { volume: string; key: string } | undefined => {
    for (const m of container.volumeMounts ?? []) {
      if (m.subPath === undefined && m.mountPath === posix.dirname(path)) return { volume: m.name, key: posix.basename(path) };
      if (m.subPath !== undefined && m.mountPath === path) return { volume: m.name, key: m.subPath };
    }
    return undefined;
  };
  const configMapData = (objects: readonly K8sObject[], pod: IPodSpec, volume: string): Record<string, string> | undefined => {
    const name = pod.volumes?.find((v) => v.name === volume)?.configMap?.name;
    return (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as Any)?.data;
  };

  it.each(CONTRACTS.map((c) => ({ version: c.version, contract: c })))('command [binary] and args [flag, path] of xiu $version', ({ contract }) => {
    for (const enabled of bools) {
      const xiu = podOf(render(enabled)).containers.find((c) => c.name === 'xiu')!;
      expect(xiu.command).toEqual([contract.binary]);
      expect(xiu.args).toHaveLength(2);
      expect(xiu.args![0]).toBe(contract.configFlag);
    }
  });

  it('without ingest auth: the path is the ConfigMap mount, whose config.toml is the generated config', () => {
    const objects = render(false);
    const pod = podOf(objects);
    const xiu = pod.containers.find((c) => c.name === 'xiu')!;
    const path = xiu.args![1]!;
    expect(path).toBe('/etc/xiu/config.toml');
    const file = fileBehind(xiu, path);
    expect(file).toBeDefined();
    expect(configMapData(objects, pod, file!.volume)?.[file!.key]).toBe(xiuConfig(originSettings(withAuth(fleet, false))));
    expect(pod.initContainers ?? []).toEqual([]);
  });

  it('with ingest auth: the path is where the init container writes the ConfigMap config with the token', () => {
    const objects = render(true);
    const pod = podOf(objects);
    const xiu = pod.containers.find((c) => c.name === 'xiu')!;
    const path = xiu.args![1]!;
    expect(path).toBe('/run/xiu/config.toml');
    const file = fileBehind(xiu, path)!;
    expect(pod.volumes?.find((v) => v.name === file.volume)?.emptyDir).toBeDefined();
    // The init container reads the ConfigMap's config.toml and writes the same volume and file xiu reads.
    const init = pod.initContainers!.find((c) => (c.volumeMounts ?? []).some((m) => m.name === file.volume))!;
    const [, from, to] = /< (\S+) > (\S+)$/.exec(init.args!.join(' '))!;
    expect(fileBehind(init, to!)).toEqual(file);
    const source = fileBehind(init, from!)!;
    expect(configMapData(objects, pod, source.volume)?.[source.key]).toBe(xiuConfig(originSettings(withAuth(fleet, true))));
  });
});

describe('other places the contract reaches', () => {
  it.each(CONTRACTS.map((c) => ({ version: c.version, contract: c })))(
    'the edge serves a playlist at most TTL + refresh old, less than one xiu $version segment',
    ({ contract }) => {
      // nginx serves a cached entry up to one whole second past its lifetime.
      expect(PLAYLIST_STALE_BOUND_SECONDS).toBe(PLAYLIST_TTL_SECONDS + 1 + PLAYLIST_REFRESH_SECONDS);
      expect(PLAYLIST_STALE_BOUND_SECONDS).toBeLessThan(contract.hlsSegmentSeconds);
      const conf = edgeNginxConfig(edgeSettings({}));
      const playlist = /location ~ "[^"]+m3u8\$" \{\n([\s\S]*?)\n {4}\}/.exec(conf)![1]!;
      expect(playlist).toContain(`proxy_cache_valid 200 ${PLAYLIST_TTL_SECONDS}s;`);
      expect(playlist).toContain(`proxy_cache_lock_timeout ${PLAYLIST_REFRESH_SECONDS}s;`);
      expect(playlist).toContain(`proxy_next_upstream_timeout ${PLAYLIST_REFRESH_SECONDS}s;`);
      expect(playlist).toContain('proxy_cache_use_stale updating;');
    },
  );

  it('origin-http asks xiu for streams at the contract path, on the API port the config sets', () => {
    const ports = { api: XIU_API_PORT, flv: FLV_PORT };
    const config = parseXiuToml(xiuConfig(originSettings({}))) as Any;
    expect(originHttpScript(ports)).toContain(`const STREAMS_API = 'http://127.0.0.1:${config.httpapi.port}${xiuContract().streamsApiPath}';`);
    // HTTP-FLV is proxied to the port xiu serves it on.
    expect(originHttpNginxConfig(ports)).toContain(`proxy_pass http://127.0.0.1:${config.httpflv.port};`);
  });
});
