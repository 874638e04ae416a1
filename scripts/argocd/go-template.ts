// A deliberately tiny evaluator for the part of Go's text/template that this repository's ApplicationSets use
// (goTemplate: true): text, `{{ .a.b }}`, `{{ . }}`, trim markers `{{-` / `-}}`, `{{ if .x }}…{{ else }}…{{ end }}`
// and `{{ range .x }}…{{ else }}…{{ end }}`. Everything else — pipelines, functions (Sprig, `normalize`, `toYaml`,
// comparisons), variables, `with`, `template`/`define`/`block`, parentheses, literals, comments, `else if` — is
// rejected with an UnsupportedTemplateError that names the construct and where it is. The preview must never guess
// what Argo CD would render, so anything whose Go semantics we do not reproduce exactly is refused.
import { TemplateError, type TemplatePosition, UnsupportedTemplateError } from './go-template-errors.ts';
import { describeUnsupported, lex, type RawAction, type Token, tokenize, trimLeadingSpace } from './go-template-lex.ts';
import { formatGoFloat, type GoValue, goTruth, goTypeName, isGoMap } from './go-values.ts';

export { TemplateError, type TemplatePosition, UnsupportedTemplateError } from './go-template-errors.ts';

export type MissingKey = 'default' | 'error';

export interface TemplateOptions {
  /** `missingkey=error` (Argo CD's `goTemplateOptions`) or Go's default (`<no value>`). */
  readonly missingKey?: MissingKey;
  /** Where the template text lives, e.g. `ApplicationSet web-prod spec.template.metadata.name`; starts every message. */
  readonly where?: string;
}

interface FieldRef {
  /** Keys after the dot; [] is `.` itself. */
  readonly path: readonly string[];
  readonly text: string;
  readonly position: TemplatePosition;
}

type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'print'; readonly field: FieldRef }
  | { readonly kind: 'if' | 'range'; readonly field: FieldRef; readonly body: TemplateNode[]; readonly otherwise: TemplateNode[] | undefined };

/** A parsed template, ready to execute many times (once per generator element). */
export interface ParsedTemplate {
  readonly source: string;
  readonly nodes: readonly TemplateNode[];
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing actions into a tree.

type Action =
  | { readonly kind: 'print' | 'if' | 'range'; readonly field: FieldRef }
  | { readonly kind: 'else' | 'end' };

const classify = (raw: RawAction, where: string | undefined): Action => {
  const unsupported = (construct: string): UnsupportedTemplateError =>
    new UnsupportedTemplateError(construct, raw.text, where, raw.position);
  if (raw.content.startsWith('/*') || trimLeadingSpace(raw.content).startsWith('/*')) throw unsupported('comment');
  const tokens = tokenize(raw.content);
  const [first, second] = tokens;
  if (first === undefined) throw new TemplateError(`empty action ${raw.text}`, where, raw.position);
  const fieldRef = (t: Token | undefined): FieldRef | undefined =>
    t?.kind === 'field' ? { path: t.path, text: t.text, position: raw.position } : undefined;

  if (first.kind === 'ident' && (first.text === 'if' || first.text === 'range')) {
    const field = fieldRef(second);
    if (tokens.length === 2 && field) return { kind: first.text, field };
    if (tokens.length === 1) throw new TemplateError(`missing value for ${first.text} in ${raw.text}`, where, raw.position);
    throw unsupported(`${describeUnsupported(tokens.slice(1))} as ${first.text} condition`);
  }
  if (first.kind === 'ident' && first.text === 'else') {
    if (tokens.length === 1) return { kind: 'else' };
    if (second?.kind === 'ident' && (second.text === 'if' || second.text === 'with')) throw unsupported(`"else ${second.text}"`);
    throw new TemplateError(`unexpected tokens after else in ${raw.text}`, where, raw.position);
  }
  if (first.kind === 'ident' && first.text === 'end') {
    if (tokens.length === 1) return { kind: 'end' };
    throw new TemplateError(`unexpected tokens after end in ${raw.text}`, where, raw.position);
  }
  const field = fieldRef(first);
  if (tokens.length === 1 && field) return { kind: 'print', field };
  throw unsupported(describeUnsupported(tokens));
};

interface Frame {
  readonly kind: 'root' | 'if' | 'range';
  readonly field?: FieldRef;
  readonly body: TemplateNode[];
  otherwise: TemplateNode[] | undefined;
  readonly position?: TemplatePosition;
}

/** Parse `source`; throws UnsupportedTemplateError or TemplateError. */
export const parseTemplate = (source: string, where?: string): ParsedTemplate => {
  const stack: Frame[] = [{ kind: 'root', body: [], otherwise: undefined }];
  const top = (): Frame => stack[stack.length - 1] as Frame;
  const emit = (node: TemplateNode): void => {
    const frame = top();
    (frame.otherwise ?? frame.body).push(node);
  };
  for (const piece of lex(source, where)) {
    if (piece.kind === 'text') {
      emit({ kind: 'text', text: piece.text });
      continue;
    }
    const { action: raw } = piece;
    const action = classify(raw, where);
    switch (action.kind) {
      case 'print':
        emit({ kind: 'print', field: action.field });
        break;
      case 'if':
      case 'range':
        stack.push({ kind: action.kind, field: action.field, body: [], otherwise: undefined, position: raw.position });
        break;
      case 'else': {
        const frame = top();
        if (frame.kind === 'root' || frame.otherwise !== undefined) throw new TemplateError(`unexpected ${raw.text}`, where, raw.position);
        frame.otherwise = [];
        break;
      }
      case 'end': {
        const frame = top();
        if (frame.kind === 'root' || frame.field === undefined) throw new TemplateError(`unexpected ${raw.text}`, where, raw.position);
        stack.pop();
        emit({ kind: frame.kind, field: frame.field, body: frame.body, otherwise: frame.otherwise });
        break;
      }
    }
  }
  const open = top();
  if (open.kind !== 'root') throw new TemplateError(`unclosed {{ ${open.kind} }}: missing {{ end }}`, where, open.position);
  return { source, nodes: open.body };
};

// ---------------------------------------------------------------------------------------------------------------
// Execution.

interface ExecContext {
  readonly missingKey: MissingKey;
  readonly where: string | undefined;
}

/** The value a field chain names, or `undefined` for Go's invalid value (a missing key with missingkey=default). */
const evalField = (dot: GoValue | undefined, field: FieldRef, ctx: ExecContext): GoValue | undefined => {
  let current = dot;
  for (const [i, key] of field.path.entries()) {
    const prefix = `.${field.path.slice(0, i).join('.')}`;
    if (current === undefined) return undefined; // Go: fields of an invalid value are invalid too (default mode).
    if (current === null) throw new TemplateError(`nil pointer evaluating ${prefix === '.' ? '.' : prefix}.${key} in ${field.text}`, ctx.where, field.position);
    if (!isGoMap(current)) {
      throw new TemplateError(`can't evaluate field ${key} in type ${goTypeName(current)} (${field.text})`, ctx.where, field.position);
    }
    if (!Object.hasOwn(current, key)) {
      if (ctx.missingKey === 'error') throw new TemplateError(`map has no entry for key "${key}" (${field.text})`, ctx.where, field.position);
      return undefined;
    }
    current = current[key];
  }
  return current;
};

const printValue = (value: GoValue | undefined, field: FieldRef, ctx: ExecContext): string => {
  if (value === undefined || value === null) {
    // Go prints `<no value>` here; a rendered manifest must never contain that, so it is an error.
    const why = value === undefined ? 'is missing' : 'is null';
    throw new TemplateError(`${field.text} ${why}; Go would print "<no value>"`, ctx.where, field.position);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new TemplateError(`${field.text} is a ${Array.isArray(value) ? 'list' : 'map'}; Go would print its fmt form (use a field of it)`, ctx.where, field.position);
};

const execNodes = (nodes: readonly TemplateNode[], dot: GoValue | undefined, ctx: ExecContext): string => {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'print':
        out += printValue(evalField(dot, node.field, ctx), node.field, ctx);
        break;
      case 'if':
        if (goTruth(evalField(dot, node.field, ctx))) out += execNodes(node.body, dot, ctx);
        else if (node.otherwise) out += execNodes(node.otherwise, dot, ctx);
        break;
      case 'range': {
        const over = evalField(dot, node.field, ctx);
        let items: readonly GoValue[];
        if (over === undefined || over === null) items = [];
        else if (Array.isArray(over)) items = over;
        // Go ranges over a map's values in sorted key order.
        else if (isGoMap(over)) items = Object.keys(over).sort().map((k) => over[k] as GoValue);
        else throw new TemplateError(`range can't iterate over ${goTypeName(over)} (${node.field.text})`, ctx.where, node.field.position);
        for (const item of items) out += execNodes(node.body, item, ctx);
        if (items.length === 0 && node.otherwise) out += execNodes(node.otherwise, dot, ctx);
        break;
      }
    }
  }
  return out;
};

/** Run a parsed template with `data` as dot. Throws TemplateError. */
export const executeTemplate = (template: ParsedTemplate, data: GoValue, options: TemplateOptions = {}): string =>
  execNodes(template.nodes, data, { missingKey: options.missingKey ?? 'default', where: options.where });

/** Parse and run in one step. */
export const renderTemplate = (source: string, data: GoValue, options: TemplateOptions = {}): string =>
  executeTemplate(parseTemplate(source, options.where), data, options);

/** `missingKey` from an ApplicationSet's `goTemplateOptions` (`missingkey=error`, `missingkey=zero`, …). */
export const missingKeyOption = (goTemplateOptions: readonly unknown[]): { missingKey: MissingKey; unsupported: string[] } => {
  let missingKey: MissingKey = 'default';
  const unsupported: string[] = [];
  for (const option of goTemplateOptions) {
    if (option === 'missingkey=error') missingKey = 'error';
    else if (option === 'missingkey=default' || option === 'missingkey=invalid') missingKey = 'default';
    // missingkey=zero prints "<no value>" for map[string]interface{} too, but is rare enough to refuse.
    else unsupported.push(String(option));
  }
  return { missingKey, unsupported };
};
