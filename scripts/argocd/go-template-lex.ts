// Lexing for the Go template subset (see go-template.ts): split a template into text runs and actions applying
// Go's trim markers, tokenise an action just far enough to recognise the subset, and name whatever is not in it.
import { TemplateError, type TemplatePosition } from './go-template-errors.ts';

// ---------------------------------------------------------------------------------------------------------------
// Lexing: split the text into text runs and actions, applying trim markers the way Go does.

const GO_SPACE = /[ \t\r\n]/;
const isSpace = (c: string | undefined): boolean => c !== undefined && GO_SPACE.test(c);
export const trimLeadingSpace = (s: string): string => s.replace(/^[ \t\r\n]+/, '');
const trimTrailingSpace = (s: string): string => s.replace(/[ \t\r\n]+$/, '');

export interface RawAction {
  readonly content: string;
  /** The action as written, delimiters included, for messages. */
  readonly text: string;
  readonly position: TemplatePosition;
}

export type Piece = { readonly kind: 'text'; text: string } | { readonly kind: 'action'; readonly action: RawAction };

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

export const lex = (source: string, where: string | undefined): Piece[] => {
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

export type Token =
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

export const tokenize = (content: string): Token[] => {
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
export const describeUnsupported = (tokens: readonly Token[]): string => {
  const found: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const d = describeToken(tokens, i);
    if (d !== undefined && !found.includes(d)) found.push(d);
  }
  return found.length > 0 ? found.join(', ') : 'expression';
};
