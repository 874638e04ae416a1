// Label and annotation keys the generator owns, in one place.
export const LABEL_PREFIX = 'streamfleet.io';
export const LABEL_CLUSTER = `${LABEL_PREFIX}/cluster`;
export const LABEL_ENVIRONMENT = `${LABEL_PREFIX}/environment`;
export const LABEL_REGION = `${LABEL_PREFIX}/region`;
export const LABEL_STACK = `${LABEL_PREFIX}/stack`;
export const MANAGED_BY = 'streamfleet-gen';

/** Recommended labels for an app's objects; selectors use only the stable `name` + `component` pair. */
export const appLabels = (app: string, stack: string, component = app): Record<string, string> => ({
  'app.kubernetes.io/name': app,
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': stack,
  'app.kubernetes.io/managed-by': MANAGED_BY,
});

export const selectorLabels = (app: string, component = app): Record<string, string> => ({
  'app.kubernetes.io/name': app,
  'app.kubernetes.io/component': component,
});
