// Lexing a Go template the way text/template/parse's lexer does (Go 1.19, checked against the Go harness): text
// runs, actions between `{{` and `}}` with the trim markers `{{- ` and ` -}}`, comments `{{/* … */}}`, and the
// tokens inside an action. Syntax errors are TemplateErrors (Go fails to parse these too).
import { TemplateError, type TemplatePosition } from './go-template-errors.ts';

export type ItemType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'assign'
  | 'declare'
  | 'pipe'
  | 'string'
  | 'rawString'
  | 'char'
  | 'charConstant'
  | 'number'
  | 'complex'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'bool'
  | 'nil'
  | 'leftParen'
  | 'rightParen'
  | 'eof';

export interface Item {
  readonly type: ItemType;
  readonly val: string;
  /** Offset of the item in the template text. */
  readonly pos: number;
}

export const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
const SPACE_CHARS = /[ \t\r\n]+$/;
const LEADING_SPACE = /^[ \t\r\n]+/;

/** Line and column (1-based, in characters) of an offset. */
export const positionAt = (source: string, index: number): TemplatePosition => {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < index; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
};

class Lexer {
  private pos = 0;
  private start = 0;
  private parenDepth = 0;
  readonly items: Item[] = [];

  constructor(
    private readonly input: string,
    private readonly where: string | undefined,
  ) {}

  private fail(message: string, at = this.start): never {
    throw new TemplateError(message, this.where, positionAt(this.input, at));
  }

  private emit(type: ItemType): void {
    this.items.push({ type, val: this.input.slice(this.start, this.pos), pos: this.start });
    this.start = this.pos;
  }

  /** The next code point (whole surrogate pairs), or undefined at the end. */
  private next(): string | undefined {
    if (this.pos >= this.input.length) {
      this.pos = this.input.length + 1; // so that backup() after the end is harmless
      return undefined;
    }
    const c = String.fromCodePoint(this.input.codePointAt(this.pos) ?? 0);
    this.pos += c.length;
    return c;
  }

  private peek(): string | undefined {
    if (this.pos >= this.input.length) return undefined;
    return String.fromCodePoint(this.input.codePointAt(this.pos) ?? 0);
  }

  private backup(c: string | undefined): void {
    this.pos = c === undefined ? this.input.length : this.pos - c.length;
  }

  private hasLeftTrimMarker(at: number): boolean {
    return this.input[at] === '-' && isSpace(this.input[at + 1]);
  }

  private hasRightTrimMarker(at: number): boolean {
    return isSpace(this.input[at]) && this.input[at + 1] === '-';
  }

  /** Whether a right delimiter starts at pos, and whether it carries a trim marker. */
  private atRightDelim(): { delim: boolean; trim: boolean } {
    if (this.hasRightTrimMarker(this.pos) && this.input.startsWith('}}', this.pos + 2)) return { delim: true, trim: true };
    if (this.input.startsWith('}}', this.pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  }

  run(): Item[] {
    for (;;) {
      const x = this.input.indexOf('{{', this.pos);
      if (x < 0) {
        this.pos = this.input.length;
        if (this.pos > this.start) this.emit('text');
        this.emit('eof');
        return this.items;
      }
      this.pos = x;
      const trimLength = this.hasLeftTrimMarker(x + 2) ? (SPACE_CHARS.exec(this.input.slice(this.start, x))?.[0].length ?? 0) : 0;
      this.pos = x - trimLength;
      if (this.pos > this.start) this.emit('text');
      this.pos = x;
      this.start = x;
      this.lexLeftDelim();
    }
  }

  private lexLeftDelim(): void {
    this.pos += 2;
    const trim = this.hasLeftTrimMarker(this.pos);
    const afterMarker = trim ? 2 : 0;
    if (this.input.startsWith('/*', this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.start = this.pos;
      this.lexComment();
      return;
    }
    this.emit('leftDelim');
    this.pos += afterMarker;
    this.start = this.pos;
    this.parenDepth = 0;
    this.lexInsideAction();
  }

  private lexComment(): void {
    this.pos += 2;
    const i = this.input.indexOf('*/', this.pos);
    if (i < 0) this.fail('unclosed comment');
    this.pos = i + 2;
    const { delim, trim } = this.atRightDelim();
    if (!delim) this.fail('comment ends before closing delimiter');
    this.pos += (trim ? 2 : 0) + 2;
    if (trim) this.pos += LEADING_SPACE.exec(this.input.slice(this.pos))?.[0].length ?? 0;
    this.start = this.pos;
  }

  private lexRightDelim(): void {
    const trim = this.hasRightTrimMarker(this.pos);
    if (trim) {
      this.pos += 2;
      this.start = this.pos;
    }
    this.pos += 2;
    this.emit('rightDelim');
    if (trim) {
      this.pos += LEADING_SPACE.exec(this.input.slice(this.pos))?.[0].length ?? 0;
      this.start = this.pos;
    }
  }

  private lexInsideAction(): void {
    for (;;) {
      if (this.atRightDelim().delim) {
        if (this.parenDepth === 0) {
          this.lexRightDelim();
          return;
        }
        this.fail('unclosed left paren');
      }
      const r = this.next();
      if (r === undefined) this.fail('unclosed action');
      else if (isSpace(r)) {
        this.backup(r);
        if (this.lexSpace()) {
          this.lexRightDelim();
          return;
        }
      } else if (r === '=') this.emit('assign');
      else if (r === ':') {
        if (this.next() !== '=') this.fail('expected :=');
        this.emit('declare');
      } else if (r === '|') this.emit('pipe');
      else if (r === '"') this.lexQuote();
      else if (r === '`') this.lexRawQuote();
      else if (r === '$') this.lexVariable();
      else if (r === "'") this.lexChar();
      else if (r === '.' && !/[0-9]/.test(this.input[this.pos] ?? '')) this.lexFieldOrVariable('field');
      else if (r === '.' || r === '+' || r === '-' || /[0-9]/.test(r)) {
        this.backup(r);
        this.lexNumber();
      } else if (isAlphaNumeric(r)) {
        this.backup(r);
        this.lexIdentifier();
      } else if (r === '(') {
        this.emit('leftParen');
        this.parenDepth++;
      } else if (r === ')') {
        this.emit('rightParen');
        this.parenDepth--;
        if (this.parenDepth < 0) this.fail('unexpected right paren');
      } else if (r.length === 1 && r >= ' ' && r <= '~') this.emit('char');
      else this.fail(`unrecognized character in action: ${JSON.stringify(r)}`);
    }
  }

  /** Consumes a run of spaces; true when it ends in ` -}}` reached with a single space (the delimiter follows). */
  private lexSpace(): boolean {
    let n = 0;
    while (isSpace(this.peek())) {
      this.next();
      n++;
    }
    if (this.hasRightTrimMarker(this.pos - 1) && this.input.startsWith('}}', this.pos + 1)) {
      this.pos--;
      if (n === 1) return true;
    }
    this.emit('space');
    return false;
  }

  private atTerminator(): boolean {
    const r = this.peek();
    if (r === undefined || isSpace(r)) return true;
    if ('.,|:)('.includes(r)) return true;
    return this.input.startsWith('}}', this.pos);
  }

  private lexIdentifier(): void {
    let r = this.next();
    while (isAlphaNumeric(r)) r = this.next();
    this.backup(r);
    if (!this.atTerminator()) this.fail(`bad character ${JSON.stringify(r ?? '')}`, this.pos);
    const word = this.input.slice(this.start, this.pos);
    if (KEYWORDS.has(word)) this.emit('keyword');
    else if (word === 'nil') this.emit('nil');
    else if (word === 'true' || word === 'false') this.emit('bool');
    else this.emit('identifier');
  }

  private lexVariable(): void {
    if (this.atTerminator()) {
      this.emit('variable');
      return;
    }
    this.lexFieldOrVariable('variable');
  }

  private lexFieldOrVariable(type: 'field' | 'variable'): void {
    if (this.atTerminator()) {
      this.emit(type === 'variable' ? 'variable' : 'dot');
      return;
    }
    let r = this.next();
    while (isAlphaNumeric(r)) r = this.next();
    this.backup(r);
    if (!this.atTerminator()) this.fail(`bad character ${JSON.stringify(r ?? '')}`, this.pos);
    this.emit(type);
  }

  private lexChar(): void {
    for (;;) {
      const c = this.next();
      if (c === '\\') {
        const r = this.next();
        if (r !== undefined && r !== '\n') continue;
        this.fail('unterminated character constant');
      }
      if (c === undefined || c === '\n') this.fail('unterminated character constant');
      if (c === "'") break;
    }
    this.emit('charConstant');
  }

  private lexQuote(): void {
    for (;;) {
      const c = this.next();
      if (c === '\\') {
        const r = this.next();
        if (r !== undefined && r !== '\n') continue;
        this.fail('unterminated quoted string');
      }
      if (c === undefined || c === '\n') this.fail('unterminated quoted string');
      if (c === '"') break;
    }
    this.emit('string');
  }

  private lexRawQuote(): void {
    const end = this.input.indexOf('`', this.pos);
    if (end < 0) this.fail('unterminated raw quoted string');
    this.pos = end + 1;
    this.emit('rawString');
  }

  private accept(valid: string): boolean {
    const c = this.input[this.pos];
    if (c !== undefined && valid.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  private lexNumber(): void {
    if (!this.scanNumber()) this.fail(`bad number syntax: ${JSON.stringify(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === '+' || sign === '-') {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') this.fail(`bad number syntax: ${JSON.stringify(this.input.slice(this.start, this.pos))}`);
      this.emit('complex');
    } else {
      this.emit('number');
    }
  }
}

/** Every item of `source`, ending with `eof`. Throws TemplateError on a lexical error. */
export const lexTemplate = (source: string, where: string | undefined): Item[] => new Lexer(source, where).run();
