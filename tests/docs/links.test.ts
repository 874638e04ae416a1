// Every relative link of README.md and docs/**/*.md resolves: the file (or folder) exists and, for a `#anchor` into a
// Markdown file, a heading of that file has that anchor. The README stays a front page (at most 10 KiB); the rest
// lives under docs/. Anchors follow GitHub's rule: lowercase, punctuation dropped, spaces to "-", "-1", "-2"… for
// repeated headings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../support/fleet.ts';

const README_LIMIT_BYTES = 10_240;

const markdownFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(path);
    return e.name.endsWith('.md') ? [path] : [];
  });

/** The lines outside fenced code blocks, with inline code removed (a link inside either is an example, not a link). */
export const proseLines = (text: string): { line: number; text: string; raw: string }[] => {
  const out: { line: number; text: string; raw: string }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((l, i) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(l);
    if (open !== null) {
      if (fence === undefined) fence = open[1]!;
      else if (l.trim().startsWith(fence) && l.trim().replace(/[`~]/g, '') === '') fence = undefined;
      return;
    }
    if (fence === undefined) out.push({ line: i + 1, text: l.replace(/(`+)[^`]*?\1/g, ''), raw: l });
  });
  return out;
};

/** GitHub's anchor of a heading's text. */
export const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\p{M}\- _]/gu, '')
    .replace(/ /g, '-');

/** Every anchor a Markdown file offers: its headings (with GitHub's suffixes for repeats) and explicit HTML ids. */
export const anchorsOf = (text: string): Set<string> => {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text: l, raw } of proseLines(text)) {
    // A heading's inline code counts for its anchor (its words stay, the backticks go).
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (h !== null) {
      const base = anchorOf(h[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of l.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  return anchors;
};

interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

const linksOf = (file: string): Link[] =>
  proseLines(readFileSync(file, 'utf8')).flatMap(({ line, text }) =>
    [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => ({ file, line, target: m[1]! })),
  );

const isRemote = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** Why a link does not resolve, or undefined when it does. */
const brokenBecause = (link: Link): string | undefined => {
  const [pathPart = '', anchor] = link.target.split('#', 2);
  const target = pathPart === '' ? link.file : join(dirname(link.file), decodeURIComponent(pathPart));
  if (!existsSync(target)) return `no file ${relative(REPO_ROOT, target)}`;
  if (anchor === undefined || anchor === '' || !target.endsWith('.md') || statSync(target).isDirectory()) return undefined;
  return anchorsOf(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor)) ? undefined : `no heading with anchor #${anchor} in ${relative(REPO_ROOT, target)}`;
};

const FILES = [join(REPO_ROOT, 'README.md'), ...markdownFiles(join(REPO_ROOT, 'docs'))];

describe('documentation links', () => {
  it('finds the README and the docs', () => {
    expect(FILES.length).toBeGreaterThan(10);
  });

  it.each(FILES.map((f) => relative(REPO_ROOT, f)))('every relative link of %s resolves', (file) => {
    const broken = linksOf(join(REPO_ROOT, file))
      .filter((l) => !isRemote(l.target))
      .flatMap((l) => {
        const why = brokenBecause(l);
        return why === undefined ? [] : [`${file}:${l.line}: (${l.target}): ${why}`];
      });
    expect(broken).toEqual([]);
  });

  it(`README.md is at most ${README_LIMIT_BYTES} bytes (the rest belongs under docs/)`, () => {
    expect(statSync(join(REPO_ROOT, 'README.md')).size).toBeLessThanOrEqual(README_LIMIT_BYTES);
  });
});

describe('anchors', () => {
  it('follow GitHub: punctuation and inline-code backticks dropped, spaces to dashes, repeats numbered', () => {
    expect(anchorOf('Systems: your own services with no code')).toBe('systems-your-own-services-with-no-code');
    expect(anchorOf('Publish and play on the dev cluster (dev-k3d, domain dev.media.localtest.me)')).toBe(
      'publish-and-play-on-the-dev-cluster-dev-k3d-domain-devmedialocaltestme',
    );
    expect([...anchorsOf('# A\n## Inventory settings\n## Inventory settings\n```\n# not a heading\n```\n')]).toEqual(['a', 'inventory-settings', 'inventory-settings-1']);
  });
});
