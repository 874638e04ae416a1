// The image catalog: for every image the inventory pins, where that exact `repository:tag` comes from and what the
// generated manifests may rely on about it (user, entrypoint, ports, paths, tools). Every fact is read from the
// image's upstream source at the pinned tag — the release workflow that pushes the tag and the Dockerfile it
// builds — and the entry names those files, so a reviewer can re-read them. The inventory loader refuses a pin
// without an entry (scripts/inventory/image-pin-checks.ts); tests/images/contracts.test.ts checks the rendered
// containers against the facts. docs/images.md says how to add an entry.
import { IMAGE_CATALOG } from './catalog-data.ts';

/** One file of an upstream repository at a ref: `owner/repo @ ref : path`. */
export interface UpstreamFile {
  /** GitHub `owner/name`. */
  readonly repo: string;
  /** Tag or full commit the file was read at. */
  readonly ref: string;
  readonly path: string;
  /** What the file shows, in one line. */
  readonly shows: string;
}

/** What the tree may rely on about an image at one tag; everything here is read from `dockerfile`. */
export interface ImageFacts {
  /** `USER` of the final stage; `null` when the image sets none (it then runs as the pod's `runAsUser`). */
  readonly uid: number | null;
  /** `USER` given by name only (e.g. `nobody`): the Dockerfile does not say the uid. */
  readonly userName?: string;
  /** `ENTRYPOINT` of the final stage; `null` when it sets none (a container must then give `command`). */
  readonly entrypoint: readonly string[] | null;
  readonly cmd: readonly string[] | null;
  /** Ports the image's default configuration listens on (its `EXPOSE` list unless noted). */
  readonly ports: readonly number[];
  /** Commands on the image's PATH that the tree may run (shell scripts, exec probes, init containers). */
  readonly tools: readonly string[];
  /** Absolute paths the tree may name, by role (`binary`, `shell`, `njsHttpModule`, …). */
  readonly paths: Readonly<Record<string, string>>;
  /** nginx images only: dynamic modules shipped, as `load_module` names them (relative to the `/etc/nginx` prefix). */
  readonly nginxModules?: readonly string[];
}

/** One pinned tag of an upstream image, with the evidence that it is pushed and what it contains. */
export interface UpstreamTag {
  readonly tag: string;
  /** The release workflow / Makefile / goreleaser config (and anything it delegates to) that pushes `repository:tag`. */
  readonly pushedBy: readonly UpstreamFile[];
  /** The Dockerfile the pushed image is built from (the facts' source). */
  readonly dockerfile: UpstreamFile;
  readonly facts: ImageFacts;
  /** What could not be read at the tag itself, and what was read instead; empty when everything was. */
  readonly gaps?: readonly string[];
}

export interface UpstreamImage {
  readonly name: string;
  readonly source: 'upstream';
  readonly repository: string;
  /** The GitHub repository the image is released from. */
  readonly upstream: string;
  readonly tags: readonly UpstreamTag[];
}

/**
 * This organisation's own build (ghcr.io/acme-media/*): its repository and CI own the tags and the contract, so the
 * catalog records no upstream facts and accepts any tag at that repository.
 */
export interface InternalImage {
  readonly name: string;
  readonly source: 'internal';
  readonly repository: string;
}

export type ImageCatalogEntry = UpstreamImage | InternalImage;

/** The only registry path internal images may live under. */
export const INTERNAL_REPOSITORY_PREFIX = 'ghcr.io/acme-media/';

export { IMAGE_CATALOG };

/** The catalog entry for an image name, if any. */
export const imageEntry = (name: string, catalog: readonly ImageCatalogEntry[] = IMAGE_CATALOG): ImageCatalogEntry | undefined =>
  catalog.find((e) => e.name === name);

/** What the catalog says about `name` at `repository:tag`: the tag's entry, `internal`, or why there is none. */
export type PinLookup =
  | { readonly kind: 'upstream'; readonly entry: UpstreamImage; readonly tag: UpstreamTag }
  | { readonly kind: 'internal'; readonly entry: InternalImage }
  | { readonly kind: 'missing'; readonly reason: string };

export const lookupPin = (
  name: string,
  repository: string,
  tag: string,
  catalog: readonly ImageCatalogEntry[] = IMAGE_CATALOG,
): PinLookup => {
  const entry = imageEntry(name, catalog);
  if (entry === undefined) return { kind: 'missing', reason: `no image catalog entry for ${name}` };
  if (entry.repository !== repository) {
    return { kind: 'missing', reason: `the image catalog has ${name} at ${entry.repository}, not ${repository}` };
  }
  if (entry.source === 'internal') return { kind: 'internal', entry };
  const found = entry.tags.find((t) => t.tag === tag);
  if (found !== undefined) return { kind: 'upstream', entry, tag: found };
  return { kind: 'missing', reason: `no image catalog entry for ${repository}:${tag} (catalogued: ${entry.tags.map((t) => t.tag).join(', ')})` };
};

/** `owner/repo @ ref : path`, the form docs and `Checked:` notes use. */
export const formatUpstreamFile = (f: UpstreamFile): string => `${f.repo} @ ${f.ref} : ${f.path}`;

/**
 * Structural problems of a catalog (duplicate names or tags, internal images outside the organisation's registry
 * path, upstream tags without evidence); the tests require none for the committed catalog.
 */
export const catalogProblems = (catalog: readonly ImageCatalogEntry[] = IMAGE_CATALOG): string[] => {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of catalog) {
    if (seen.has(e.name)) problems.push(`${e.name}: listed twice`);
    seen.add(e.name);
    if (e.source === 'internal') {
      if (!e.repository.startsWith(INTERNAL_REPOSITORY_PREFIX)) problems.push(`${e.name}: internal images live under ${INTERNAL_REPOSITORY_PREFIX}`);
      continue;
    }
    if (e.repository.startsWith(INTERNAL_REPOSITORY_PREFIX)) problems.push(`${e.name}: ${INTERNAL_REPOSITORY_PREFIX}* images are internal`);
    const tags = new Set<string>();
    for (const t of e.tags) {
      if (tags.has(t.tag)) problems.push(`${e.name}: tag ${t.tag} listed twice`);
      tags.add(t.tag);
      // A tag whose release files could not be read says so in `gaps`; silence is a problem.
      if (t.pushedBy.length === 0 && (t.gaps ?? []).length === 0) problems.push(`${e.name}:${t.tag}: no evidence that the tag is pushed`);
      if (t.dockerfile.repo !== e.upstream && !t.pushedBy.some((p) => p.repo === t.dockerfile.repo)) {
        problems.push(`${e.name}:${t.tag}: Dockerfile from ${t.dockerfile.repo}, which no release file names`);
      }
    }
  }
  return problems;
};
