// domain/edge-upstream on the edge's own shapes: an nginx upstream block, and a Service name resolved per request
// (`set $v <svc>.<ns>.svc…; proxy_pass http://$v:<port>;`), which is how the edge reaches every origin replica.
import { describe, expect, it } from 'vitest';
import { edgeUpstream } from '../../scripts/policy/rules/domain.ts';
import type { AppContext, RenderedObject } from '../../scripts/policy/types.ts';

const object = (raw: Record<string, unknown>): RenderedObject => {
  const meta = raw.metadata as { name: string; namespace: string };
  return { apiVersion: raw.apiVersion as string, kind: raw.kind as string, name: meta.name, namespace: meta.namespace, effectiveNamespace: meta.namespace, doc: 1, raw: raw as RenderedObject['raw'] };
};

const svc = (name: string, port: number, headless: boolean): RenderedObject =>
  object({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'streaming' }, spec: { ...(headless ? { clusterIP: 'None' } : {}), ports: [{ name: 'media', port }] } });

const conf = (text: string): RenderedObject => object({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge-cache-config', namespace: 'streaming' }, data: { 'nginx.conf': text } });

const app = (objects: RenderedObject[]): AppContext =>
  ({ target: { name: 'c-streaming', path: 'clusters/c/streaming', project: 'p', destination: 'c', namespace: 'streaming' }, objects, isProd: false }) as unknown as AppContext;

const HOST = 'rtmp-origin-replicas.streaming.svc.cluster.local';
const resolved = (host: string, port: number, withHost = true): string =>
  `server {\n  set $origin_replicas ${host};\n${withHost ? `  proxy_set_header Host ${host};\n` : ''}  location / { proxy_pass http://$origin_replicas:${port}; }\n}\n`;

const messages = (objects: RenderedObject[]): string[] => edgeUpstream([app(objects)]).map((f) => f.message);

describe('domain/edge-upstream', () => {
  it.each([
    { name: 'resolved per request to a headless Service port, sent as Host', objects: [svc('rtmp-origin-replicas', 8090, true), conf(resolved(HOST, 8090))], expected: [] },
    {
      name: 'a ClusterIP Service resolves to one address: no replica can be tried',
      objects: [svc('rtmp-origin-replicas', 8090, false), conf(resolved(HOST, 8090))],
      expected: [`upstream rtmp-origin-replicas.streaming:8090: Service streaming/rtmp-origin-replicas is not headless: its name resolves to one virtual IP, so the edge cannot try each replica for a stream`],
    },
    {
      name: 'without the Host header a mesh sidecar cannot route it',
      objects: [svc('rtmp-origin-replicas', 8090, true), conf(resolved(HOST, 8090, false))],
      expected: [`upstream rtmp-origin-replicas.streaming:8090: requests to ${HOST} do not carry Host ${HOST}, which a mesh sidecar routes by`],
    },
    {
      name: 'a port the Service does not have',
      objects: [svc('rtmp-origin-replicas', 8090, true), conf(resolved(HOST, 8080))],
      expected: ['upstream rtmp-origin-replicas.streaming:8080: Service streaming/rtmp-origin-replicas has no port 8080 (8090)'],
    },
    {
      name: 'a Service that is not on the cluster',
      objects: [conf(resolved(HOST, 8090))],
      expected: ['upstream rtmp-origin-replicas.streaming:8090: no Service streaming/rtmp-origin-replicas on this cluster'],
    },
    {
      name: 'an upstream block (the old edge) is still checked',
      objects: [svc('rtmp-origin', 9102, false), conf('upstream origin { server rtmp-origin.streaming.svc.cluster.local:8080; }\n')],
      expected: ['upstream rtmp-origin.streaming:8080: Service streaming/rtmp-origin has no port 8080 (9102)'],
    },
  ])('$name', ({ objects, expected }) => {
    expect(messages(objects)).toEqual(expected);
  });
});
