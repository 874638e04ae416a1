// Image references: an explicit tag (never latest), a digest in prod, and only registries the inventory allows.
import type { AppRule, RawFinding } from '../types.ts';
import { workloadOf } from '../workloads.ts';

/** Registry host of an image reference; Docker Hub for references without one. */
export const registryOf = (image: string): string => {
  const first = image.split('/')[0] ?? '';
  const hasHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? first : 'docker.io';
};

/** The reference with its registry spelled out: `nginx:1` → `docker.io/library/nginx:1`. */
const qualified = (image: string): string => {
  const first = image.split('/')[0] ?? '';
  const hasHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
};

const tagOf = (image: string): string => {
  const name = image.split('@')[0] ?? '';
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 ? '' : last.slice(colon + 1);
};

/** Whether `image` is under one of the allowed prefixes (`ghcr.io/acme-media`, `quay.io`). */
export const allowedBy = (image: string, allowed: readonly string[]): boolean => {
  const q = qualified(image);
  return allowed.some((prefix) => q === prefix || q.startsWith(`${prefix}/`) || (!prefix.includes('/') && registryOf(q) === prefix));
};

export const images: AppRule = (ctx) => {
  const allowed = ctx.fleet.policy?.allowedRegistries;
  const out: RawFinding[] = [];
  for (const o of ctx.objects) {
    const w = workloadOf(o);
    if (w === undefined) continue;
    for (const { image, field } of w.images) {
      const tag = tagOf(image);
      const digest = image.includes('@sha256:');
      if (tag === 'latest') out.push({ rule: 'images/tag', object: o, field, message: `image ${image} uses tag latest` });
      else if (tag === '') out.push({ rule: 'images/tag', object: o, field, message: `image ${image || '(empty)'} has no explicit tag` });
      if (ctx.isProd && !digest) out.push({ rule: 'images/digest', object: o, field, message: `image ${image} is not pinned by digest (tag@sha256:…) in prod` });
      if (allowed !== undefined && !allowedBy(image, allowed)) {
        out.push({ rule: 'images/registry', object: o, field, message: `image ${image} is not from an allowed registry (${allowed.join(', ')})` });
      }
    }
  }
  return out;
};
