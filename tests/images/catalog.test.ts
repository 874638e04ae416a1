// The image catalog itself: well-formed, covering every image the shipped fleet declares at the same repository, and
// honest about what could not be read at the pinned tag (the `gaps` list below changes only on purpose).
import { describe, expect, it } from 'vitest';

import { IMAGE_CATALOG, INTERNAL_REPOSITORY_PREFIX, catalogProblems, formatUpstreamFile, lookupPin, type ImageCatalogEntry } from '../../scripts/images/catalog.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

const upstreamTag = (tag: string, repo = 'acme/up') => ({
  tag,
  pushedBy: [{ repo, ref: tag, path: 'release.yml', shows: 'pushes it' }],
  dockerfile: { repo, ref: tag, path: 'Dockerfile', shows: 'builds it' },
  facts: { uid: 1, entrypoint: ['/x'], cmd: null, ports: [], tools: [], paths: {} },
});

describe('catalogProblems', () => {
  it.each<{ name: string; catalog: ImageCatalogEntry[]; problems: string[] }>([
    { name: 'the committed catalog', catalog: [...IMAGE_CATALOG], problems: [] },
    {
      name: 'a name listed twice',
      catalog: [
        { name: 'a', source: 'internal', repository: `${INTERNAL_REPOSITORY_PREFIX}a` },
        { name: 'a', source: 'internal', repository: `${INTERNAL_REPOSITORY_PREFIX}a` },
      ],
      problems: ['a: listed twice'],
    },
    { name: 'an internal image elsewhere', catalog: [{ name: 'a', source: 'internal', repository: 'docker.io/acme/a' }], problems: [`a: internal images live under ${INTERNAL_REPOSITORY_PREFIX}`] },
    {
      name: 'an upstream image under the internal path',
      catalog: [{ name: 'a', source: 'upstream', repository: `${INTERNAL_REPOSITORY_PREFIX}a`, upstream: 'acme/up', tags: [upstreamTag('1')] }],
      problems: [`a: ${INTERNAL_REPOSITORY_PREFIX}* images are internal`],
    },
    {
      name: 'a tag twice, and a tag with no release evidence nor a gap saying why',
      catalog: [{ name: 'a', source: 'upstream', repository: 'docker.io/acme/a', upstream: 'acme/up', tags: [upstreamTag('1'), upstreamTag('1'), { ...upstreamTag('2'), pushedBy: [] }] }],
      problems: ['a: tag 1 listed twice', 'a:2: no evidence that the tag is pushed'],
    },
    {
      name: 'a Dockerfile from a repository no release file names',
      catalog: [{ name: 'a', source: 'upstream', repository: 'docker.io/acme/a', upstream: 'acme/up', tags: [{ ...upstreamTag('1'), dockerfile: { repo: 'other/repo', ref: '1', path: 'Dockerfile', shows: '' } }] }],
      problems: ['a:1: Dockerfile from other/repo, which no release file names'],
    },
  ])('$name', ({ catalog, problems }) => {
    expect(catalogProblems(catalog)).toEqual(problems);
  });
});

describe('lookupPin', () => {
  const catalog: ImageCatalogEntry[] = [
    { name: 'up', source: 'upstream', repository: 'docker.io/acme/up', upstream: 'acme/up', tags: [upstreamTag('1.0'), upstreamTag('1.1')] },
    { name: 'own', source: 'internal', repository: `${INTERNAL_REPOSITORY_PREFIX}own` },
  ];
  it.each([
    { name: 'up', repository: 'docker.io/acme/up', tag: '1.1', kind: 'upstream', reason: undefined },
    { name: 'up', repository: 'docker.io/acme/up', tag: '2.0', kind: 'missing', reason: 'no image catalog entry for docker.io/acme/up:2.0 (catalogued: 1.0, 1.1)' },
    { name: 'up', repository: 'ghcr.io/acme/up', tag: '1.0', kind: 'missing', reason: 'the image catalog has up at docker.io/acme/up, not ghcr.io/acme/up' },
    { name: 'own', repository: `${INTERNAL_REPOSITORY_PREFIX}own`, tag: 'anything', kind: 'internal', reason: undefined },
    { name: 'nope', repository: 'docker.io/acme/nope', tag: '1', kind: 'missing', reason: 'no image catalog entry for nope' },
  ])('$name $repository:$tag → $kind', ({ name, repository, tag, kind, reason }) => {
    const found = lookupPin(name, repository, tag, catalog);
    expect(found.kind).toBe(kind);
    if (found.kind === 'missing') expect(found.reason).toBe(reason);
  });
});

describe('the committed catalog and the shipped fleet', () => {
  it('has an entry for every image the fleet declares, at the same repository, and nothing else', async () => {
    const fleet = await loadFleet(DEFAULT_INVENTORY);
    const declared = Object.entries(fleet.images).map(([name, i]) => `${name} ${i.repository}`).sort();
    expect(IMAGE_CATALOG.map((e) => `${e.name} ${e.repository}`).sort()).toEqual(declared);
  });

  it('marks exactly the organisation\'s own builds internal', () => {
    for (const e of IMAGE_CATALOG) expect(e.source === 'internal', e.name).toBe(e.repository.startsWith(INTERNAL_REPOSITORY_PREFIX));
  });

  it('lists what could not be read at the pinned tag (review before changing)', () => {
    const gaps = IMAGE_CATALOG.flatMap((e) => (e.source === 'upstream' ? e.tags.filter((t) => (t.gaps ?? []).length > 0).map((t) => `${e.name}:${t.tag}`) : []));
    expect(gaps).toEqual([
      'alertmanager:v0.28.0',
      'aws-cli:2.22.35',
      'grafana:11.4.0',
      'minio:RELEASE.2024-12-18T13-15-44Z',
      'minio-mc:RELEASE.2024-11-21T17-21-54Z',
      'postgres:17.2',
      'prometheus:v3.0.1',
      'prometheus:v3.1.0',
      'rabbitmq:4.0.5',
      'redis:7.4.2',
      'xiu:0.12.4',
      'xiu:0.13.0',
    ]);
  });

  it('formats evidence as repo @ ref : path', () => {
    const nginx = IMAGE_CATALOG.find((e) => e.name === 'nginx');
    if (nginx?.source !== 'upstream') throw new Error('nginx is an upstream image');
    expect(formatUpstreamFile(nginx.tags[0]!.dockerfile)).toBe('nginxinc/docker-nginx-unprivileged @ 1.27.3 : mainline/alpine/Dockerfile');
  });
});
