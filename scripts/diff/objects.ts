// One build's YAML stream as objects keyed by identity (group, kind, namespace, name), the unit a diff
// reports on.
import { parseAllDocuments } from 'yaml';

import { apiGroup } from '../kustomize/checks.ts';

export type JsonObject = { [key: string]: unknown };

export interface K8sDoc {
  /** Identity: `group/kind/namespace/name`. */
  readonly id: string;
  readonly kind: string;
  /** How people name it: `Deployment streaming/rtmp-origin`. */
  readonly label: string;
  readonly value: JsonObject;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects of a build output; documents that are not objects are skipped (validate reports those). */
export const parseObjects = (yamlText: string): Map<string, K8sDoc> => {
  const out = new Map<string, K8sDoc>();
  parseAllDocuments(yamlText).forEach((document, index) => {
    const value = document.toJS() as unknown;
    if (!isObject(value)) return;
    const kind = typeof value.kind === 'string' ? value.kind : '?';
    const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
    const meta = isObject(value.metadata) ? value.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : `#${index + 1}`;
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
    const id = [apiGroup(apiVersion), kind, namespace, name].join('/');
    out.set(id, { id, kind, label: namespace === '' ? `${kind} ${name}` : `${kind} ${namespace}/${name}`, value });
  });
  return out;
};
