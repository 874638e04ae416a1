// Which repository file defines a rendered object: the resource files of the Application's kustomization graph,
// indexed by kind, name and namespace. Findings name that file, so a reader knows where to look (or which
// component renders it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { KustomizationGraph } from '../kustomize/kustomization-graph.ts';
import { loadStream } from '../schemas/fast-yaml.ts';
import type { RenderedObject } from './types.ts';

interface Identity {
  readonly apiVersion: string | undefined;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
}

export class SourceIndex {
  private readonly files = new Map<string, Identity[]>();

  constructor(private readonly root: string) {}

  private identities(file: string): Identity[] {
    let ids = this.files.get(file);
    if (ids === undefined) {
      ids = [];
      try {
        for (const doc of loadStream(readFileSync(join(this.root, file), 'utf8')).docs) {
          const d = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
          if (typeof d?.kind === 'string' && typeof d.metadata?.name === 'string') {
            ids.push({ apiVersion: typeof d.apiVersion === 'string' ? d.apiVersion : undefined, kind: d.kind, name: d.metadata.name, namespace: typeof d.metadata.namespace === 'string' ? d.metadata.namespace : undefined });
          }
        }
      } catch {
        // Kustomize already reported an unreadable resource.
      }
      this.files.set(file, ids);
    }
    return ids;
  }

  /** The file defining `o` in this graph; the Application's kustomization when none is found. */
  fileOf(graph: KustomizationGraph, o: RenderedObject): string {
    for (const node of graph.nodes) {
      for (const file of node.resourceFiles) {
        const found = this.identities(file).some(
          (id) =>
            id.kind === o.kind &&
            id.name === o.name &&
            (id.apiVersion === undefined || id.apiVersion === o.apiVersion) &&
            (id.namespace === undefined || id.namespace === o.namespace),
        );
        if (found) return file;
      }
    }
    return graph.nodes[0]?.file ?? '';
  }
}
