import { describe, expect, it } from 'vitest';

import { apiGroup, checkBuildOutput, formatFinding, imageProblem } from '../../scripts/kustomize/checks.ts';

describe('imageProblem', () => {
  it.each([
    { image: 'nginx:1.27.0', expected: undefined },
    { image: 'ghcr.io/acme/origin:2.3', expected: undefined },
    { image: 'registry:5000/acme/origin:2.3', expected: undefined },
    { image: 'nginx@sha256:0123456789abcdef', expected: undefined },
    { image: 'nginx', expected: 'no tag' },
    { image: 'nginx:', expected: 'no tag' },
    { image: 'registry:5000/acme/origin', expected: 'no tag' },
    { image: 'nginx:latest', expected: 'uses tag latest' },
    { image: 'ghcr.io/acme/origin:latest', expected: 'uses tag latest' },
    { image: '  ', expected: 'empty image' },
  ])('$image', ({ image, expected }) => {
    const problem = imageProblem(image);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(expected);
  });
});

describe('apiGroup', () => {
  it.each([
    ['v1', ''],
    ['apps/v1', 'apps'],
    ['networking.k8s.io/v1', 'networking.k8s.io'],
  ])('%s → %j', (apiVersion, group) => {
    expect(apiGroup(apiVersion)).toBe(group);
  });
});

const cronJob = (image: string): string => `apiVersion: batch/v1
kind: CronJob
metadata: {name: sweep, namespace: media}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers: [{name: prep, image: "${image}"}]
          containers: [{name: main, image: "busybox:1.36"}]
`;

describe('checkBuildOutput', () => {
  it('accepts a clean stream and counts objects', () => {
    const result = checkBuildOutput(`${cronJob('busybox:1.36')}---
apiVersion: v1
kind: Namespace
metadata: {name: media}
`);
    expect(result).toEqual({ objects: 2, findings: [] });
  });

  it.each([
    {
      name: 'untagged init container of a CronJob',
      yaml: cronJob('busybox'),
      rule: 'image-tag',
      message: 'init container prep: image busybox has no tag',
    },
    {
      name: 'Pod with :latest',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: media}\nspec: {containers: [{name: c, image: "x:latest"}]}\n',
      rule: 'image-tag',
      message: 'container c: image x:latest uses tag latest',
    },
    {
      name: 'container without image',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: media}\nspec: {containers: [{name: c}]}\n',
      rule: 'image-tag',
      message: 'container c: has no image',
    },
    {
      name: 'object in default',
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n',
      rule: 'default-namespace',
      message: 'default namespace',
    },
    {
      name: 'missing metadata.name',
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: media}\n',
      rule: 'shape',
      message: 'object has no metadata.name',
    },
    {
      name: 'missing apiVersion and kind',
      yaml: 'metadata: {name: x}\n',
      rule: 'shape',
      message: 'object has no apiVersion, kind',
    },
    { name: 'a list document', yaml: '- a\n- b\n', rule: 'shape', message: 'not a mapping' },
    {
      name: 'same group/kind/namespace/name under two versions',
      yaml:
        'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: media}\n---\n' +
        'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: media}\n',
      rule: 'duplicate',
      message: 'autoscaling/v2 here and autoscaling/v1 in document 1',
    },
    { name: 'broken YAML', yaml: 'a: [1, 2\n', rule: 'yaml', message: '' },
  ])('finds: $name', ({ yaml, rule, message }) => {
    const { findings } = checkBuildOutput(yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.rule).toBe(rule);
    expect(findings[0]?.message).toContain(message);
  });

  it('does not treat a custom resource named like a workload as one, nor same names in other namespaces as duplicates', () => {
    const result = checkBuildOutput(`apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata: {name: j, namespace: media}
spec: {template: {spec: {containers: [{name: c, image: untagged}]}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: j, namespace: media}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: j, namespace: edge}
`);
    expect(result).toEqual({ objects: 3, findings: [] });
  });

  it('formats a finding with the object it concerns', () => {
    const [finding] = checkBuildOutput(cronJob('busybox:latest')).findings;
    expect(finding && formatFinding(finding)).toBe(
      '[image-tag] CronJob media/sweep: init container prep: image busybox:latest uses tag latest',
    );
  });
});
