// A deliberately tiny evaluator for the part of Go's text/template that this repository's ApplicationSets use
// (goTemplate: true): text, `{{ .a.b }}`, `{{ . }}`, trim markers `{{-` / `-}}`, `{{ if .x }}…{{ else }}…{{ end }}`
// and `{{ range .x }}…{{ else }}…{{ end }}`. Everything else — pipelines, functions (Sprig, `normalize`, `toYaml`,
// comparisons), variables, `with`, `template`/`define`/`block`, parentheses, literals, comments, `else if` — is
// rejected with an UnsupportedTemplateError that names the construct and where it is. The preview must never guess
// what Argo CD would render, so anything whose Go semantics we do not reproduce exactly is refused.
import { formatGoFloat, type GoValue, goTruth, goTypeName, isGoMap } from './go-values.ts';

export type MissingKey = 'default' | 'error';

export interface TemplateOptions {
  /** `missingkey=error` (Argo CD's `goTemplateOptions`) or Go's default (`<no value>`). */
  readonly missingKey?: MissingKey;
  /** Where the template text lives, e.g. `ApplicationSet web-prod spec.template.metadata.name`; starts every message. */
  readonly where?: string;
}

/** Line and column (1-based) of an action inside the template text. */
export interface TemplatePosition {
  readonly line: number;
  readonly column: number;
}

/** A template that cannot be rendered: bad syntax, a missing key, a value Go would print as `<no value>`. */
export class TemplateError extends Error {
  /** The message without `where`, for reports that show the location separately. */
  readonly detail: string;

  constructor(
    message: string,
    readonly where: string | undefined,
    readonly position: TemplatePosition | undefined,
  ) {
    const detail = `${message}${position ? ` (line ${position.line}, column ${position.column})` : ''}`;
    super(`${where !== undefined ? `${where}: ` : ''}${detail}`);
    this.detail = detail;
    this.name = 'TemplateError';
  }
}

/** A construct outside the supported subset; `construct` names it, e.g. `function call "normalize"`. */
export class UnsupportedTemplateError extends TemplateError {
  constructor(
    readonly construct: string,
    readonly action: string,
    where: string | undefined,
    position: TemplatePosition | undefined,
  ) {
    super(`unsupported template construct: ${construct} in ${action}; only fields, if/else/end and range are evaluated offline`, where, position);
    this.name = 'UnsupportedTemplateError';
  }
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
// Lexing: split the text into text runs and actions, applying trim markers the way Go does.

const GO_SPACE = /[ \t\r\n]/;
const isSpace = (c: string | undefined): boolean => c !== undefined && GO_SPACE.test(c);
const trimLeadingSpace = (s: string): string => s.replace(/^[ \t\r\n]+/, '');
const trimTrailingSpace = (s: string): string => s.replace(/[ \t\r\n]+$/, '');

interface RawAction {
  readonly content: string;
  /** The action as written, delimiters included, for messages. */
  readonly text: string;
  readonly position: TemplatePosition;
}

type Piece = { readonly kind: 'text'; text: string } | { readonly kind: 'action'; readonly action: RawAction };

const positionAt = (source: string, index: number): TemplatePosition => {
  const before = source.slice(0, index);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
};

/** Index of the `}}` closing the action whose content starts at `from`, skipping quoted strings. */
const findClose = (source: string, from: number): number => {
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === '"' || c === "'" || c === '`') {
      // Quotes only matter so that a `}}` inside a literal does not end the action; literals are refused later.
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += c !== '`' && source[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === '}' && source[i + 1] === '}') return i;
    i++;
  }
  return -1;
};

const lex = (source: string, where: string | undefined): Piece[] => {
  const pieces: Piece[] = [];
  let i = 0;
  let trimNext = false;
  const pushText = (text: string): void => {
    const t = trimNext ? trimLeadingSpace(text) : text;
    trimNext = false;
    if (t.length > 0) pieces.push({ kind: 'text', text: t });
  };
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      pushText(source.slice(i));
      break;
    }
    // Go's left trim marker is `{{-` followed by white space; `{{-3}}` would be the number -3.
    const trimLeft = source[open + 2] === '-' && isSpace(source[open + 3]);
    let before = source.slice(i, open);
    if (trimLeft) before = trimTrailingSpace(trimNext ? trimLeadingSpace(before) : before);
    pushText(before);
    const contentStart = open + (trimLeft ? 3 : 2);
    const close = findClose(source, contentStart);
    const position = positionAt(source, open);
    if (close < 0) throw new TemplateError(`unclosed action starting with ${JSON.stringify(source.slice(open, open + 20))}`, where, position);
    const trimRight = source[close - 1] === '-' && close - 2 >= contentStart && isSpace(source[close - 2]);
    const content = source.slice(contentStart, trimRight ? close - 1 : close);
    pieces.push({ kind: 'action', action: { content, text: source.slice(open, close + 2), position } });
    trimNext = trimRight;
    i = close + 2;
  }
  return pieces;
};

// ---------------------------------------------------------------------------------------------------------------
// Tokenising one action, just far enough to recognise the subset and to name what is not in it.

type Token =
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly text: string }
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'string' | 'number' | 'symbol' | 'variable' | 'other'; readonly text: string };

const IDENT_START = /[\p{L}_]/u;
const IDENT_CHAR = /[\p{L}\p{Nd}_]/u;

const readIdent = (s: string, from: number): number => {
  let j = from;
  while (j < s.length && IDENT_CHAR.test(s[j] ?? '')) j++;
  return j;
};

const tokenize = (content: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < content.length) {
    const c = content[i] ?? '';
    if (isSpace(c)) {
      i++;
    } else if (c === '.' && !/[0-9]/.test(content[i + 1] ?? '')) {
      // A field chain `.a.b` (no spaces inside) or `.` alone.
      const path: string[] = [];
      let j = i;
      while (content[j] === '.' && IDENT_START.test(content[j + 1] ?? '')) {
        const end = readIdent(content, j + 1);
        path.push(content.slice(j + 1, end));
        j = end;
      }
      if (path.length === 0) j = i + 1;
      // `.a-b` or `.a[0]` continue with characters that are not a terminator: not a plain field chain.
      if (j < content.length && !isSpace(content[j]) && !'|()'.includes(content[j] ?? '')) {
        let k = j;
        while (k < content.length && !isSpace(content[k])) k++;
        tokens.push({ kind: 'other', text: content.slice(i, k) });
        i = k;
      } else {
        tokens.push({ kind: 'field', path, text: content.slice(i, j) });
        i = j;
      }
    } else if (IDENT_START.test(c)) {
      const end = readIdent(content, i);
      tokens.push({ kind: 'ident', text: content.slice(i, end) });
      i = end;
    } else if (c === '$') {
      const end = readIdent(content, i + 1);
      tokens.push({ kind: 'variable', text: content.slice(i, end) });
      i = end;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < content.length && content[j] !== c) j += c !== '`' && content[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'string', text: content.slice(i, j + 1) });
      i = j + 1;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+' || c === '.') && /[0-9.]/.test(content[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < content.length && /[0-9a-zA-Z_.+-]/.test(content[j] ?? '')) j++;
      tokens.push({ kind: 'number', text: content.slice(i, j) });
      i = j;
    } else if (c === ':' && content[i + 1] === '=') {
      tokens.push({ kind: 'symbol', text: ':=' });
      i += 2;
    } else {
      tokens.push({ kind: '|()=,'.includes(c) ? 'symbol' : 'other', text: c });
      i++;
    }
  }
  return tokens;
};

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const LOGIC = new Set(['and', 'or', 'not']);
const LITERAL_IDENTS = new Set(['true', 'false', 'nil']);
const UNSUPPORTED_KEYWORDS = new Set(['with', 'template', 'define', 'block', 'break', 'continue']);

const describeToken = (tokens: readonly Token[], i: number): string | undefined => {
  const t = tokens[i];
  if (t === undefined) return undefined;
  switch (t.kind) {
    case 'ident':
      if (UNSUPPORTED_KEYWORDS.has(t.text)) return `"${t.text}" action`;
      if (COMPARISONS.has(t.text)) return `comparison function "${t.text}"`;
      if (LOGIC.has(t.text)) return `logic function "${t.text}"`;
      if (LITERAL_IDENTS.has(t.text)) return `literal ${t.text}`;
      return `function call "${t.text}"`;
    case 'variable':
      return `variable "${t.text}"`;
    case 'string':
    case 'number':
      return `${t.kind} literal ${t.text}`;
    case 'symbol':
      if (t.text === '|') return 'pipeline "|"';
      if (t.text === '(' || t.text === ')') return 'parentheses';
      if (t.text === ':=' || t.text === '=') return `variable assignment "${t.text}"`;
      return `expression "${t.text}"`;
    case 'other':
      return `expression "${t.text}"`;
    case 'field': {
      // A field in command position followed by more operands is a method call with arguments in Go.
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      const commandStart = prev === undefined || (prev.kind === 'symbol' && (prev.text === '|' || prev.text === '('));
      const hasOperand = next !== undefined && !(next.kind === 'symbol' && (next.text === '|' || next.text === ')'));
      return commandStart && hasOperand ? `arguments after field "${t.text}"` : undefined;
    }
  }
};

/** Every construct in `tokens` that puts the action outside the subset, in order, named for a human. */
const describeUnsupported = (tokens: readonly Token[]): string => {
  const found: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const d = describeToken(tokens, i);
    if (d !== undefined && !found.includes(d)) found.push(d);
  }
  return found.length > 0 ? found.join(', ') : 'expression';
};

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
