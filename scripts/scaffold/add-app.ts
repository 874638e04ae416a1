// `pnpm new app`: declare an HTTP service in inventory/fleet.yaml (image + app) and pin its version in every
// environment that runs its stack, all as comment-preserving edits. Pure: texts in, texts out.
import { insertMapEntry } from './yaml-insert.ts';
import type { StackName } from '../inventory/schema.ts';
import type { Fleet } from '../model/fleet.ts';

export interface NewApp {
  readonly stack: StackName;
  readonly name: string;
  /** `repository:tag`, or `repository:tag@sha256:…` */
  readonly image: string;
  readonly port: number;
  readonly public: boolean;
}

/** Split `registry:5000/org/name:1.2.3@sha256:…` into repository and pin; the tag is required. */
export const splitImage = (image: string): { repository: string; pin: string } | undefined => {
  const at = image.indexOf('@');
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  if (colon === -1 || withoutDigest.slice(colon).includes('/')) return undefined;
  const repository = withoutDigest.slice(0, colon);
  const tag = withoutDigest.slice(colon + 1);
  return { repository, pin: at === -1 ? tag : `${tag}${image.slice(at)}` };
};

export interface AppEdits {
  /** fleet.yaml's new text. */
  readonly fleet: string;
  /** Environment name → its file's new text (only environments that run the stack). */
  readonly environments: ReadonlyMap<string, string>;
  readonly imageKey: string;
  readonly pin: string;
}

export const addApp = (
  fleet: Fleet,
  texts: { readonly fleet: string; readonly environments: ReadonlyMap<string, string> },
  app: NewApp,
): AppEdits | { error: string } => {
  const split = splitImage(app.image);
  if (!split) return { error: `--image must be repository:tag (a pinned tag, never implied latest), found "${app.image}"` };
  // Reuse an image already declared with the same repository; else the app's name is the image name.
  const existing = Object.entries(fleet.images).find(([, i]) => i.repository === split.repository)?.[0];
  const imageKey = existing ?? app.name;
  // A shared image runs the environments' pins of it: a different requested tag would be silently replaced.
  if (existing !== undefined) {
    const differing = fleet.environments.filter((e) => e.versions[existing] !== undefined && e.versions[existing] !== split.pin);
    if (differing.length > 0) {
      const pins = differing.map((e) => `"${e.versions[existing]}" in ${e.name}`).join(', ');
      return {
        error:
          `${split.repository} is fleet image "${existing}", pinned to ${pins}: the app would run those tags, not "${split.pin}". ` +
          `Pass --image ${split.repository}:${differing[0]!.versions[existing]} to share the pins, or change the pins in the environment files first`,
      };
    }
  }
  let fleetText = texts.fleet;
  if (!existing) fleetText = insertMapEntry(fleetText, ['images'], imageKey, { repository: split.repository });
  fleetText = insertMapEntry(fleetText, ['apps'], app.name, { stack: app.stack, image: imageKey, port: app.port, ...(app.public ? { public: true } : {}) });
  const environments = new Map<string, string>();
  for (const env of fleet.environments) {
    if (!fleet.clusters.some((c) => c.environment === env.name && c.stacks.includes(app.stack))) continue;
    const text = texts.environments.get(env.name);
    if (text === undefined || env.versions[imageKey] !== undefined) continue;
    // A string stays a string: stringify quotes pins YAML would read as numbers (e.g. "1.10").
    environments.set(env.name, insertMapEntry(text, ['versions'], imageKey, split.pin));
  }
  return { fleet: fleetText, environments, imageKey, pin: split.pin };
};
