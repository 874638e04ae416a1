// Small Kustomize trees written to temp folders by the tests themselves.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Tree = Readonly<Record<string, string>>;

/** Write `tree` (POSIX relative path → content) into a new temp folder and return its path. */
export const writeTree = (tree: Tree, prefix = 'kustomize-test-'): string => {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(tree)) {
    const file = join(root, ...path.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
};

export const removeTree = (root: string): void => rmSync(root, { recursive: true, force: true });

const deployment = (name: string, image: string, namespace = 'media'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: ${name}
          image: ${image}
`;

const kustomization = (body: string): string =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

const component = (body: string): string =>
  `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${body}`;

/** A clean stack: base Deployment with an untagged image, a Component that pins it and sets replicas. */
export const goodStack = (cluster: string, stack = 'media'): Tree => ({
  [`base/${stack}/web/kustomization.yaml`]: kustomization('resources:\n  - deployment.yaml\n'),
  [`base/${stack}/web/deployment.yaml`]: deployment('web', 'nginx'),
  [`overlays/prod/${stack}/web/kustomization.yaml`]: component(
    'images:\n  - name: nginx\n    newTag: "1.27.0"\nreplicas:\n  - name: web\n    count: 3\n',
  ),
  [`clusters/${cluster}/${stack}/kustomization.yaml`]: kustomization(
    `resources:\n  - ../../../base/${stack}/web\ncomponents:\n  - ../../../overlays/prod/${stack}/web\n`,
  ),
});

/** Does not build: the Component sets replicas for a Deployment that does not exist. */
export const missingDeploymentStack = (cluster: string, stack = 'media'): Tree => ({
  [`base/${stack}/web/kustomization.yaml`]: kustomization('resources:\n  - deployment.yaml\n'),
  [`base/${stack}/web/deployment.yaml`]: deployment('web', 'nginx:1.27.0'),
  [`overlays/prod/${stack}/ghost/kustomization.yaml`]: component('replicas:\n  - name: ghost\n    count: 2\n'),
  [`clusters/${cluster}/${stack}/kustomization.yaml`]: kustomization(
    `resources:\n  - ../../../base/${stack}/web\ncomponents:\n  - ../../../overlays/prod/${stack}/ghost\n`,
  ),
});

/** Does not build: a resource path that does not exist. */
export const missingResourceStack = (cluster: string, stack = 'media'): Tree => ({
  [`clusters/${cluster}/${stack}/kustomization.yaml`]: kustomization(`resources:\n  - ../../../base/${stack}/nowhere\n`),
});
