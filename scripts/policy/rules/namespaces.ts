// Nothing lands in the `default` namespace: every namespaced object names its namespace (or the Application's).
import type { AppRule } from '../types.ts';

export const defaultNamespace: AppRule = (ctx) =>
  ctx.objects
    .filter((o) => o.effectiveNamespace === 'default')
    .map((o) => ({
      rule: 'namespaces/default',
      object: o,
      field: 'metadata.namespace',
      message: o.namespace === 'default' ? 'object is in the default namespace' : `object takes the Application's destination namespace, default`,
    }));
