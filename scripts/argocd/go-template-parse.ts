// Parsing a Go template into a tree, following text/template/parse (Go 1.19, checked against the Go harness):
// actions, pipelines, commands and operands, if/else/else if/with/range/break/continue, variables and their
// scopes, literals. What Go rejects is a TemplateError; what Go accepts but we do not reproduce (define, template,
// block, else with, character/complex/hex literals, functions outside go-template-funcs.ts) is an
// UnsupportedTemplateError naming the construct.
import { TemplateError, type TemplatePosition, UnsupportedTemplateError } from './go-template-errors.ts';
import { ARGO_FUNCTIONS, FUNCTIONS } from './go-template-funcs.ts';
import { type Item, lexTemplate, positionAt } from './go-template-lex.ts';

export type Operand =
  | { readonly kind: 'field'; readonly idents: readonly string[]; readonly pos: number }
  | { readonly kind: 'variable'; readonly name: string; readonly idents: readonly string[]; readonly pos: number }
  | { readonly kind: 'chain'; readonly node: Operand; readonly idents: readonly string[]; readonly pos: number }
  | { readonly kind: 'dot' | 'nil'; readonly pos: number }
  | { readonly kind: 'bool'; readonly value: boolean; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'number'; readonly text: string; readonly int?: bigint; readonly float?: number; readonly pos: number }
  | { readonly kind: 'identifier'; readonly name: string; readonly pos: number }
  | { readonly kind: 'pipe'; readonly pipe: Pipe; readonly pos: number };

export interface Command {
  readonly args: readonly Operand[];
  readonly pos: number;
}

export interface Pipe {
  readonly decl: readonly string[];
  readonly isAssign: boolean;
  readonly cmds: readonly Command[];
  readonly pos: number;
}

interface At {
  /** Offset of the action in the template text. */
  readonly pos: number;
  /** The action as written, delimiters included, for messages. */
  readonly text: string;
}

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | ({ readonly kind: 'action'; readonly pipe: Pipe } & At)
  | ({ readonly kind: 'if' | 'with' | 'range'; readonly pipe: Pipe; readonly list: readonly TemplateNode[]; readonly elseList: readonly TemplateNode[] | undefined } & At)
  | ({ readonly kind: 'break' | 'continue' } & At);

type Terminator = { readonly kind: 'end' | 'else'; readonly elseIf: boolean; readonly at: At };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.Unquote for a double-quoted Go string; bytes outside UTF-8 (\x80, \377) are refused. */
const unquote = (quoted: string, fail: (message: string) => never, refuse: (construct: string) => never): string => {
  let out = '';
  const body = quoted.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
    if (e !== undefined && simple[e] !== undefined) {
      out += simple[e];
      continue;
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i + 1, i + 1 + hexLength);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) fail(`invalid syntax in string ${quoted}`);
      const cp = parseInt(hex, 16);
      if (e === 'x' && cp >= 0x80) refuse(`byte escape \\x${hex} (not UTF-8 text)`);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail(`invalid syntax in string ${quoted}`);
      out += String.fromCodePoint(cp);
      i += hexLength;
      continue;
    }
    if (e !== undefined && /[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) fail(`invalid syntax in string ${quoted}`);
      const v = parseInt(oct, 8);
      if (v > 255) fail(`invalid syntax in string ${quoted}`);
      if (v >= 0x80) refuse(`byte escape \\${oct} (not UTF-8 text)`);
      out += String.fromCharCode(v);
      i += 2;
      continue;
    }
    fail(`invalid syntax in string ${quoted}`);
  }
  return out;
};

class Parser {
  private items: Item[];
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private action: At = { pos: 0, text: '' };

  constructor(
    private readonly source: string,
    private readonly where: string | undefined,
  ) {
    this.items = lexTemplate(source, where);
  }

  private position(pos: number): TemplatePosition {
    return positionAt(this.source, pos);
  }

  private fail(message: string, pos = this.action.pos): never {
    throw new TemplateError(message, this.where, this.position(pos));
  }

  private refuse(construct: string, pos = this.action.pos): never {
    throw new UnsupportedTemplateError(construct, this.actionText(), this.where, this.position(pos));
  }

  private actionText(): string {
    if (this.action.text !== '') return this.action.text;
    const close = this.source.indexOf('}}', this.action.pos);
    return close < 0 ? this.source.slice(this.action.pos, this.action.pos + 40) : this.source.slice(this.action.pos, close + 2);
  }

  private next(): Item {
    const item = this.items[this.i] ?? { type: 'eof', val: '', pos: this.source.length };
    if (this.i < this.items.length) this.i++;
    return item;
  }

  private backup(): void {
    this.i -= 1;
  }

  private peek(): Item {
    return this.items[this.i] ?? { type: 'eof', val: '', pos: this.source.length };
  }

  private nextNonSpace(): Item {
    let item = this.next();
    while (item.type === 'space') item = this.next();
    return item;
  }

  private peekNonSpace(): Item {
    const item = this.nextNonSpace();
    this.backup();
    return item;
  }

  private unexpected(item: Item, context: string): never {
    if (item.type === 'eof') this.fail(`unexpected EOF in ${context}`, item.pos);
    this.fail(`unexpected ${JSON.stringify(item.val)} in ${context}`, item.pos);
  }

  parse(): TemplateNode[] {
    const root: TemplateNode[] = [];
    while (this.peek().type !== 'eof') {
      const n = this.textOrAction();
      if ('at' in n) this.fail(`unexpected {{${n.kind}}}`, n.at.pos);
      root.push(n);
    }
    return root;
  }

  private itemList(): { list: TemplateNode[]; next: Terminator } {
    const list: TemplateNode[] = [];
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if ('at' in n) return { list, next: n };
      list.push(n);
    }
    this.fail('unexpected EOF', this.source.length);
  }

  private textOrAction(): TemplateNode | Terminator {
    const token = this.nextNonSpace();
    if (token.type === 'text') return { kind: 'text', text: token.val };
    if (token.type !== 'leftDelim') this.unexpected(token, 'input');
    const saved = this.action;
    const close = this.findClose(token.pos);
    this.action = { pos: token.pos, text: this.source.slice(token.pos, close) };
    try {
      return this.actionNode();
    } finally {
      this.action = saved;
    }
  }

  /** End offset of the action starting at `pos` (after its right delimiter), for messages. */
  private findClose(pos: number): number {
    let depth = 0;
    for (let j = this.i; j < this.items.length; j++) {
      const item = this.items[j];
      if (item === undefined) break;
      if (item.type === 'leftDelim') depth++;
      if (item.type === 'rightDelim') {
        if (depth === 0) return item.pos + item.val.length;
        depth--;
      }
    }
    return Math.min(this.source.length, pos + 40);
  }

  private actionNode(): TemplateNode | Terminator {
    const at = this.action;
    const token = this.nextNonSpace();
    if (token.type === 'keyword') {
      switch (token.val) {
        case 'block':
        case 'define':
        case 'template':
          this.refuse(`"${token.val}" action`);
        // falls through (refuse never returns)
        case 'break':
        case 'continue': {
          const t = this.nextNonSpace();
          if (t.type !== 'rightDelim') this.unexpected(t, `{{${token.val}}}`);
          if (this.rangeDepth === 0) this.fail(`{{${token.val}}} outside {{range}}`);
          return { kind: token.val, ...at };
        }
        case 'else': {
          const peek = this.peekNonSpace();
          if (peek.type === 'keyword' && peek.val === 'if') return { kind: 'else', elseIf: true, at };
          // {{else with}} arrived in Go 1.23; Argo CD's Go has it, the harness's does not.
          if (peek.type === 'keyword' && peek.val === 'with') this.refuse('"else with" (Go 1.23)');
          const t = this.nextNonSpace();
          if (t.type !== 'rightDelim') this.unexpected(t, 'else');
          return { kind: 'else', elseIf: false, at };
        }
        case 'end': {
          const t = this.nextNonSpace();
          if (t.type !== 'rightDelim') this.unexpected(t, 'end');
          return { kind: 'end', elseIf: false, at };
        }
        case 'if':
        case 'range':
        case 'with':
          return this.control(token.val, at);
      }
    }
    this.backup();
    return { kind: 'action', pipe: this.pipeline('command', 'rightDelim'), ...at };
  }

  private control(context: 'if' | 'range' | 'with', at: At): TemplateNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const { list, next } = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: TemplateNode[] | undefined;
      if (next.kind === 'else') {
        if (next.elseIf) {
          // Only `if` chains `else if`; Go 1.23 also lets `with` chain `else with`, and rejects the rest.
          if (context !== 'if') this.refuse(`"else if" inside ${context}`, next.at.pos);
          const ifToken = this.nextNonSpace();
          const saved = this.action;
          this.action = next.at;
          try {
            elseList = [this.control('if', { pos: ifToken.pos, text: next.at.text })];
          } finally {
            this.action = saved;
          }
        } else {
          const rest = this.itemList();
          if (rest.next.kind !== 'end') this.fail(`expected end; found {{${rest.next.kind}}}`, rest.next.at.pos);
          elseList = rest.list;
        }
      }
      return { kind: context, pipe, list, elseList, ...at };
    } finally {
      this.vars.length = mark;
    }
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe {
    const start = this.peekNonSpace().pos;
    const decl: string[] = [];
    let isAssign = false;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const atVariable = this.i;
      this.next();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        isAssign = next.type === 'assign';
        this.nextNonSpace();
        decl.push(v.val);
        this.vars.push(v.val);
        // Go 1.19 sets a range's `$x = …` variables oddly (fixed later); refused rather than guessed.
        if (context === 'range' && isAssign) this.refuse('assignment "=" in range');
        break;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        decl.push(v.val);
        this.vars.push(v.val);
        if (context === 'range' && decl.length < 2) {
          const p = this.peekNonSpace();
          if (p.type === 'variable') continue;
          if (p.type === 'rightDelim' || p.type === 'rightParen') this.refuse('range declaration without ":="');
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      if (context === 'range' && decl.length > 0) this.refuse('range declaration without ":="');
      // Not a declaration: the variable is the first operand.
      this.i = atVariable;
      break;
    }
    const cmds: Command[] = [];
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        if (cmds.length === 0) this.fail(`missing value for ${context}`);
        for (const [k, c] of cmds.slice(1).entries()) {
          const first = c.args[0];
          if (first !== undefined && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.kind)) this.fail(`non executable command in pipeline stage ${k + 2}`);
        }
        return { decl, isAssign, cmds, pos: start };
      }
      switch (token.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private command(): Command {
    const args: Operand[] = [];
    const pos = this.peekNonSpace().pos;
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) args.push(operand);
      const token = this.next();
      if (token.type === 'space') continue;
      if (token.type === 'rightDelim' || token.type === 'rightParen') this.backup();
      else if (token.type !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (args.length === 0) this.fail('empty command');
    return { args, pos };
  }

  private operand(): Operand | undefined {
    const node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().type !== 'field') return node;
    const idents: string[] = [];
    while (this.peek().type === 'field') idents.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field':
        return { kind: 'field', idents: [...node.idents, ...idents], pos: node.pos };
      case 'variable':
        return { kind: 'variable', name: node.name, idents: [...node.idents, ...idents], pos: node.pos };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(`unexpected . after term`, node.pos);
      // falls through (fail never returns)
      default:
        return { kind: 'chain', node, idents, pos: node.pos };
    }
  }

  private term(): Operand | undefined {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'identifier':
        if (!ARGO_FUNCTIONS.has(token.val)) this.fail(`function ${JSON.stringify(token.val)} not defined`, token.pos);
        if (!FUNCTIONS.has(token.val)) this.refuse(`function call "${token.val}"`, token.pos);
        return { kind: 'identifier', name: token.val, pos: token.pos };
      case 'dot':
        return { kind: 'dot', pos: token.pos };
      case 'nil':
        return { kind: 'nil', pos: token.pos };
      case 'variable':
        if (!this.vars.includes(token.val)) this.fail(`undefined variable ${JSON.stringify(token.val)}`, token.pos);
        return { kind: 'variable', name: token.val, idents: [], pos: token.pos };
      case 'field':
        return { kind: 'field', idents: [token.val.slice(1)], pos: token.pos };
      case 'bool':
        return { kind: 'bool', value: token.val === 'true', pos: token.pos };
      case 'charConstant':
        this.refuse(`character literal ${token.val}`, token.pos);
      // falls through (refuse never returns)
      case 'complex':
        this.refuse(`complex literal ${token.val}`, token.pos);
      // falls through
      case 'number':
        return this.number(token);
      case 'leftParen':
        return { kind: 'pipe', pipe: this.pipeline('parenthesized pipeline', 'rightParen'), pos: token.pos };
      case 'string':
        return { kind: 'string', value: unquote(token.val, (m) => this.fail(m, token.pos), (c) => this.refuse(c, token.pos)), pos: token.pos };
      case 'rawString':
        // strconv.Unquote drops carriage returns from raw strings.
        return { kind: 'string', value: token.val.slice(1, -1).replaceAll('\r', ''), pos: token.pos };
    }
    this.backup();
    return undefined;
  }

  /** Decimal integers and floats, as text/template's NumberNode reads them; other spellings are refused. */
  private number(token: Item): Operand {
    const text = token.val;
    if (!/[0-9]/.test(text)) this.fail(`illegal number syntax: ${JSON.stringify(text)}`, token.pos);
    if (/^[+-]?(0|[1-9][0-9]*)$/.test(text)) {
      const int = BigInt(text);
      if (int < INT64_MIN || int > INT64_MAX) this.fail(`integer overflow: ${JSON.stringify(text)}`, token.pos);
      return { kind: 'number', text, int, float: Number(int), pos: token.pos };
    }
    if (/^[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?$/.test(text) && /[.eE]/.test(text)) {
      const float = Number(text);
      if (!Number.isFinite(float)) this.fail(`illegal number syntax: ${JSON.stringify(text)}`, token.pos);
      // A float that is a whole number fitting int64 can also be used as an int (`trunc 3.0 .s`).
      const int = Number.isInteger(float) && float >= -(2 ** 63) && float < 2 ** 63 ? BigInt(float) : undefined;
      return { kind: 'number', text, float, ...(int !== undefined ? { int } : {}), pos: token.pos };
    }
    this.refuse(`number literal ${text}`, token.pos);
  }
}

/** The template's tree. Throws TemplateError or UnsupportedTemplateError. */
export const parseGoTemplate = (source: string, where: string | undefined): TemplateNode[] => new Parser(source, where).parse();
