// Render an ApplicationSet template the way Argo CD's `deeplyReplace` does (argoproj/argo-cd@v3.4.4
// applicationset/utils/utils.go:93-260): every string value, at any depth, and every map key is a Go template
// executed with the generator's parameters; other scalars are copied; map entries whose value is null are dropped
// (Go skips nil map values). Templates are parsed once and reused per element.
import { executeTemplate, type MissingKey, type ParsedTemplate, parseTemplate, TemplateError } from './go-template.ts';
import type { GoValue } from './go-values.ts';
import { fieldPath, isObject } from './kube.ts';

export class TreeRenderer {
  private readonly parsed = new Map<string, ParsedTemplate | TemplateError>();

  /**
   * @param owner  prefix of every message, e.g. `ApplicationSet web-prod`
   * @param missingKey  from the ApplicationSet's goTemplateOptions
   * @param strictOutput  refuse output Go would write as `<no value>` or a map's fmt form (see TemplateOptions)
   */
  constructor(
    private readonly owner: string,
    private readonly missingKey: MissingKey,
    private readonly strictOutput = true,
  ) {}

  private where(path: string): string {
    return `${this.owner} ${path}`;
  }

  /** The field path an error of this renderer points at (its `where` minus the owner). */
  fieldOf(error: TemplateError): string | undefined {
    const prefix = `${this.owner} `;
    return error.where?.startsWith(prefix) ? error.where.slice(prefix.length) : undefined;
  }

  /** Parse (or fetch the cached parse of) `source`; parse errors are cached too, so each is reported once. */
  private parse(source: string, path: string): ParsedTemplate | TemplateError {
    const key = `${path}\u0000${source}`;
    let entry = this.parsed.get(key);
    if (entry === undefined) {
      try {
        entry = parseTemplate(source, this.where(path));
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        entry = error;
      }
      this.parsed.set(key, entry);
    }
    return entry;
  }

  /** Every string and key under `value` that does not parse, or uses a construct outside the subset. */
  check(value: unknown, path: string): TemplateError[] {
    const errors: TemplateError[] = [];
    const visit = (v: unknown, p: string): void => {
      if (typeof v === 'string') {
        const r = this.parse(v, p);
        if (r instanceof TemplateError) errors.push(r);
      } else if (Array.isArray(v)) {
        v.forEach((item, i) => visit(item, fieldPath(p, i)));
      } else if (isObject(v)) {
        for (const [k, item] of Object.entries(v)) {
          const keyPath = `${fieldPath(p, k)} (key)`;
          const r = this.parse(k, keyPath);
          if (r instanceof TemplateError) errors.push(r);
          visit(item, fieldPath(p, k));
        }
      }
    };
    visit(value, path);
    return errors;
  }

  /** Render one string; throws TemplateError. */
  renderString(source: string, params: GoValue, path: string): string {
    const parsed = this.parse(source, path);
    if (parsed instanceof TemplateError) throw parsed;
    return executeTemplate(parsed, params, { missingKey: this.missingKey, where: this.where(path), strictOutput: this.strictOutput });
  }

  /** Render every string and key under `value`; throws the first TemplateError. */
  render(value: unknown, params: GoValue, path: string): unknown {
    if (typeof value === 'string') return this.renderString(value, params, path);
    if (Array.isArray(value)) return value.map((item, i) => this.render(item, params, fieldPath(path, i)));
    if (isObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(value)) {
        if (item === null || item === undefined) continue;
        const key = this.renderString(k, params, `${fieldPath(path, k)} (key)`);
        out[key] = this.render(item, params, fieldPath(path, k));
      }
      return out;
    }
    return value;
  }
}
