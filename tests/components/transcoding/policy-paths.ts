// Reads the traffic paths rendered NetworkPolicies allow, as sorted "source -> destination:port" strings, so
// tests compare whole sets: an extra allow fails as surely as a missing one.
import type { BuiltObject } from '../../support/rendered.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Loose = Record<string, any>;

const peerName = (peer: Loose): string => {
  if (peer.ipBlock) return `cidr:${peer.ipBlock.cidr}`;
  const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  const app = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
  if (ns !== undefined) return app !== undefined ? `ns:${ns}/${app}` : `ns:${ns}`;
  if (app !== undefined) return app;
  return JSON.stringify(peer);
};

const policies = (objects: readonly BuiltObject[]): Loose[] =>
  objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o as unknown as Loose);

const selected = (p: Loose): string | undefined => p.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'];

/** `from -> app:port` for every ingress rule of an app's policy. */
export const ingressPaths = (objects: readonly BuiltObject[]): string[] =>
  policies(objects)
    .filter((p) => selected(p) !== undefined)
    .flatMap((p) =>
      ((p.spec.ingress ?? []) as Loose[]).flatMap((r) =>
        (r.from as Loose[]).flatMap((f) => (r.ports as Loose[]).map((port) => `${peerName(f)} -> ${selected(p)}:${port.port}`)),
      ),
    )
    .sort();

/** `app -> to:port` for every egress rule of an app's policy (namespace-wide DNS/OTLP allows excluded). */
export const egressPaths = (objects: readonly BuiltObject[]): string[] =>
  policies(objects)
    .filter((p) => selected(p) !== undefined)
    .flatMap((p) =>
      ((p.spec.egress ?? []) as Loose[]).flatMap((r) =>
        (r.to as Loose[]).flatMap((t) => (r.ports as Loose[]).map((port) => `${selected(p)} -> ${peerName(t)}:${port.port}`)),
      ),
    )
    .sort();
