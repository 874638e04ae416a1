// Argo CD objects: least-privilege projects (no `*`), nothing in the default project, ApplicationSets that cannot
// render a wrong project or an empty value, and automated sync that never applies an empty tree.
import { arr, dig, obj, objs, str } from '../json.ts';
import type { AppRule, RawFinding, RenderedObject } from '../types.ts';
import { groupOf } from '../workloads.ts';

const isArgo = (o: RenderedObject, kind: string): boolean => o.kind === kind && groupOf(o.apiVersion) === 'argoproj.io';

const projectWildcards = (o: RenderedObject): RawFinding[] => {
  const spec = obj(o.raw.spec);
  const out: RawFinding[] = [];
  const flag = (field: string, what: string): void => void out.push({ rule: 'argocd/project-wildcard', object: o, field, message: `${what} is *` });
  arr(spec.sourceRepos).forEach((r, i) => r === '*' && flag(`spec.sourceRepos[${i}]`, 'a source repository'));
  arr(spec.sourceNamespaces).forEach((r, i) => r === '*' && flag(`spec.sourceNamespaces[${i}]`, 'a source namespace'));
  objs(spec.destinations).forEach((d, i) => {
    for (const k of ['server', 'name', 'namespace']) if (d[k] === '*') flag(`spec.destinations[${i}].${k}`, `destination ${k}`);
  });
  for (const list of ['clusterResourceWhitelist', 'namespaceResourceWhitelist']) {
    objs(spec[list]).forEach((e, i) => {
      if (e.group === '*' || e.kind === '*') flag(`spec.${list}[${i}]`, `a ${list} entry's ${e.kind === '*' ? 'kind' : 'group'}`);
    });
  }
  return out;
};

const syncFindings = (o: RenderedObject, appSpec: unknown, prefix: string): RawFinding[] => {
  const out: RawFinding[] = [];
  const project = str(obj(appSpec).project);
  if (project === undefined || project === '' || project === 'default') {
    out.push({ rule: 'argocd/default-project', object: o, field: `${prefix}.project`, message: `uses the default project${project === undefined ? ' (project unset)' : ''}` });
  }
  if (dig(appSpec, 'syncPolicy', 'automated', 'allowEmpty') === true) {
    out.push({ rule: 'argocd/allow-empty', object: o, field: `${prefix}.syncPolicy.automated.allowEmpty`, message: 'allowEmpty: true lets an empty render prune every resource' });
  }
  return out;
};

export const argocd: AppRule = (ctx) =>
  ctx.objects.flatMap((o): RawFinding[] => {
    if (isArgo(o, 'AppProject')) return projectWildcards(o);
    if (isArgo(o, 'Application')) return syncFindings(o, o.raw.spec, 'spec');
    if (!isArgo(o, 'ApplicationSet')) return [];
    const spec = obj(o.raw.spec);
    const out = syncFindings(o, dig(spec, 'template', 'spec'), 'spec.template.spec');
    const project = str(dig(spec, 'template', 'spec', 'project')) ?? '';
    if (project.includes('{{') || project.includes('${')) {
      out.push({ rule: 'argocd/templated-project', object: o, field: 'spec.template.spec.project', message: `project ${project} is templated: an element could pick any project` });
    }
    const options = arr(spec.goTemplateOptions).map(String);
    if (spec.goTemplate !== true || !options.includes('missingkey=error')) {
      out.push({ rule: 'argocd/missingkey', object: o, field: 'spec.goTemplateOptions', message: 'needs goTemplate: true and goTemplateOptions [missingkey=error], or a missing key renders as an empty value' });
    }
    return out;
  });
