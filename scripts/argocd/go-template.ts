// Go's text/template, as Argo CD's ApplicationSet controller runs it (goTemplate: true), for the constructs whose
// result we reproduce exactly: text, trim markers, comments, fields, variables, pipelines, parentheses, literals,
// if/else if/else, with, range (with $i, $v), break/continue and the functions of go-template-funcs.ts. Each is
// compared with real Go (text/template + sprig) by tests/argocd/go-differential.test.ts. Anything else is refused
// with an UnsupportedTemplateError naming the construct — the preview never guesses what Argo CD would render.
// Parsing follows text/template/parse (go-template-parse.ts); execution follows text/template's exec.go: the
// state, the variable stack, evalPipeline/evalCommand/evalArg/validateType and missingkey handling.
import { SuspiciousOutputError, TemplateError, UnsupportedTemplateError } from './go-template-errors.ts';
import { FUNCTIONS, GoCallError, GoCallUnsupported, type ParamType } from './go-template-funcs.ts';
import { positionAt } from './go-template-lex.ts';
import { type Command, type Operand, parseGoTemplate, type Pipe, type TemplateNode } from './go-template-parse.ts';
import { formatGoValue, type GoRuntimeValue, type GoValue, goSortedKeys, goTruth, goTypeName, isGoMap } from './go-values.ts';

export { SuspiciousOutputError, TemplateError, type TemplatePosition, UnsupportedTemplateError } from './go-template-errors.ts';

/** Go's missingkey option: `default` (= `invalid`), `zero` or `error`. */
export type MissingKey = 'default' | 'zero' | 'error';

export interface TemplateOptions {
  /** `missingkey=…` from Argo CD's `goTemplateOptions`; Go's default otherwise. */
  readonly missingKey?: MissingKey;
  /** Where the template text lives, e.g. `ApplicationSet web-prod spec.template.metadata.name`; starts every message. */
  readonly where?: string;
  /**
   * True (the default): where Go would print `<no value>` or a map/list in fmt's form, throw a
   * SuspiciousOutputError instead — no manifest should contain that. False: write exactly what Go writes.
   */
  readonly strictOutput?: boolean;
}

/** A parsed template, ready to execute many times (once per generator element). */
export interface ParsedTemplate {
  readonly source: string;
  readonly nodes: readonly TemplateNode[];
}

/** Parse `source`; throws UnsupportedTemplateError or TemplateError. */
export const parseTemplate = (source: string, where?: string): ParsedTemplate => ({ source, nodes: parseGoTemplate(source, where) });

// ---------------------------------------------------------------------------------------------------------------
// Execution.

/** No final value: the command is the first of its pipeline. */
const MISSING: unique symbol = Symbol('missing');
type Final = GoRuntimeValue | typeof MISSING;

class BreakSignal {}
class ContinueSignal {}

interface Variable {
  readonly name: string;
  value: GoRuntimeValue;
}

interface At {
  readonly pos: number;
  readonly text: string;
}

/** A value as a pipeline hands it on: Go unwraps interface{}, so a nil interface becomes the invalid value. */
const unwrap = (v: GoRuntimeValue): GoRuntimeValue => (v === null ? undefined : v);

class Execution {
  private out = '';
  private readonly vars: Variable[];
  private at: At = { pos: 0, text: '' };

  constructor(
    private readonly source: string,
    data: GoValue,
    private readonly missingKey: MissingKey,
    private readonly where: string | undefined,
    private readonly strict: boolean,
  ) {
    this.vars = [{ name: '$', value: data }];
  }

  private fail(message: string): never {
    throw new TemplateError(`executing ${this.at.text}: ${message}`, this.where, positionAt(this.source, this.at.pos));
  }

  private refuse(construct: string): never {
    throw new UnsupportedTemplateError(construct, this.at.text, this.where, positionAt(this.source, this.at.pos));
  }

  run(nodes: readonly TemplateNode[], dot: GoRuntimeValue): string {
    this.walk(dot, nodes);
    return this.out;
  }

  // -- variables (text/template's state.vars) --

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, value: GoRuntimeValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: GoRuntimeValue): void {
    const v = this.vars[this.vars.length - n];
    if (v !== undefined) v.value = value;
  }

  private varValue(name: string): GoRuntimeValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v.value;
    }
    this.fail(`undefined variable: ${name}`);
  }

  // -- walking the tree --

  private walk(dot: GoRuntimeValue, nodes: readonly TemplateNode[]): void {
    for (const node of nodes) {
      if (node.kind === 'text') {
        this.out += node.text;
        continue;
      }
      this.at = node;
      switch (node.kind) {
        case 'action': {
          const value = this.evalPipeline(dot, node.pipe);
          if (node.pipe.decl.length === 0) this.print(value);
          break;
        }
        case 'if':
        case 'with': {
          const mark = this.mark();
          const value = this.evalPipeline(dot, node.pipe);
          if (goTruth(value)) this.walk(node.kind === 'with' ? value : dot, node.list);
          else if (node.elseList !== undefined) this.walk(dot, node.elseList);
          this.pop(mark);
          break;
        }
        case 'range':
          this.walkRange(dot, node);
          break;
        case 'break':
          throw new BreakSignal();
        case 'continue':
          throw new ContinueSignal();
      }
    }
  }

  private walkRange(dot: GoRuntimeValue, node: Extract<TemplateNode, { kind: 'if' | 'with' | 'range' }>): void {
    const outer = this.mark();
    try {
      const value = this.evalPipeline(dot, node.pipe);
      const mark = this.mark();
      const declared = node.pipe.decl.length;
      const once = (index: GoRuntimeValue, elem: GoRuntimeValue): void => {
        if (declared > 0) this.setTopVar(1, elem);
        if (declared > 1) this.setTopVar(2, index);
        try {
          this.walk(elem, node.list);
        } catch (signal) {
          if (!(signal instanceof ContinueSignal)) throw signal;
        } finally {
          this.pop(mark);
        }
      };
      let iterated = false;
      try {
        if (Array.isArray(value)) {
          for (const [i, elem] of (value as readonly GoValue[]).entries()) {
            iterated = true;
            once(BigInt(i), elem);
          }
        } else if (isGoMap(value)) {
          for (const key of goSortedKeys(value)) {
            iterated = true;
            once(key, value[key] ?? null);
          }
        } else if (typeof value === 'bigint') {
          this.at = node;
          this.refuse('range over an integer (Go 1.22)');
        } else if (value !== undefined) {
          this.at = node;
          this.fail(`range can't iterate over ${formatGoValue(value)}`);
        }
      } catch (signal) {
        if (!(signal instanceof BreakSignal)) throw signal;
        return;
      }
      if (!iterated && node.elseList !== undefined) this.walk(dot, node.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private print(value: GoRuntimeValue): void {
    const text = formatGoValue(value);
    if (this.strict && (value === undefined || typeof value === 'object')) {
      const what = value === undefined ? 'a missing key or null' : Array.isArray(value) ? 'a list' : 'a map';
      throw new SuspiciousOutputError(`${this.at.text} prints ${what}; Go would write ${JSON.stringify(text)}`, text, this.where, positionAt(this.source, this.at.pos));
    }
    this.out += text;
  }

  // -- evaluation (text/template's evalPipeline, evalCommand, evalArg, …) --

  private evalPipeline(dot: GoRuntimeValue, pipe: Pipe): GoRuntimeValue {
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = unwrap(this.evalCommand(dot, cmd, value));
    const result = value === MISSING ? undefined : value;
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, result);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  private notAFunction(args: readonly Operand[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${args[0]?.kind ?? ''}`);
  }

  private evalCommand(dot: GoRuntimeValue, cmd: Command, final: Final): GoRuntimeValue {
    const first = cmd.args[0] as Operand;
    switch (first.kind) {
      case 'field':
        return this.evalFieldChain(dot, dot, first.idents, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalCall(dot, first.name, cmd.args.slice(1), final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool':
      case 'string':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.fail('nil is not a command');
      // falls through (fail never returns)
      case 'number':
        return this.idealConstant(first);
    }
  }

  private idealConstant(n: Extract<Operand, { kind: 'number' }>): GoRuntimeValue {
    // A literal with ".", "e" or "E" is a float64 even when whole; anything else is an int.
    if (/[.eE]/.test(n.text)) return n.float;
    return n.int;
  }

  private evalField(name: string, args: readonly Operand[], final: Final, receiver: GoRuntimeValue): GoRuntimeValue {
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.fail(`nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    if (receiver === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    if (isGoMap(receiver)) {
      if (args.length > 1 || final !== MISSING) this.fail(`${name} is not a method but has arguments`);
      if (Object.hasOwn(receiver, name)) return receiver[name] ?? null;
      if (this.missingKey === 'error') this.fail(`map has no entry for key ${JSON.stringify(name)}`);
      return this.missingKey === 'zero' ? null : undefined;
    }
    this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  private evalFieldChain(dot: GoRuntimeValue, receiver: GoRuntimeValue, idents: readonly string[], args: readonly Operand[], final: Final): GoRuntimeValue {
    let r = receiver;
    for (const ident of idents.slice(0, -1)) r = this.evalField(ident, [], MISSING, r);
    return this.evalField(idents[idents.length - 1] ?? '', args, final, r);
  }

  private evalVariable(dot: GoRuntimeValue, v: Extract<Operand, { kind: 'variable' }>, args: readonly Operand[], final: Final): GoRuntimeValue {
    const value = this.varValue(v.name);
    if (v.idents.length === 0) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v.idents, args, final);
  }

  private evalChain(dot: GoRuntimeValue, chain: Extract<Operand, { kind: 'chain' }>, args: readonly Operand[], final: Final): GoRuntimeValue {
    if (chain.node.kind === 'nil') this.fail('indirection through explicit nil');
    const receiver = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, receiver, chain.idents, args, final);
  }

  private evalCall(dot: GoRuntimeValue, name: string, argNodes: readonly Operand[], final: Final): GoRuntimeValue {
    const fn = FUNCTIONS.get(name);
    if (fn === undefined) this.refuse(`function call "${name}"`);
    const numIn = argNodes.length + (final !== MISSING ? 1 : 0);
    let numFixed = argNodes.length;
    if (fn.variadic !== undefined) {
      numFixed = fn.params.length;
      if (numIn < numFixed) this.fail(`wrong number of args for ${name}: want at least ${numFixed} got ${argNodes.length}`);
    } else if (numIn !== fn.params.length) {
      this.fail(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    if (name === 'and' || name === 'or') {
      // Short-circuit: the first argument that decides, else the last one, as it is.
      let v: GoRuntimeValue = undefined;
      for (const arg of argNodes) {
        v = unwrap(this.evalArg(dot, 'value', arg));
        if (goTruth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = unwrap(this.validateType(final, 'value'));
      return v;
    }
    const argv: GoRuntimeValue[] = [];
    let i = 0;
    for (; i < numFixed && i < argNodes.length; i++) argv.push(this.evalArg(dot, fn.params[i], argNodes[i] as Operand));
    for (; i < argNodes.length; i++) argv.push(this.evalArg(dot, fn.variadic, argNodes[i] as Operand));
    if (final !== MISSING) {
      let t = fn.params[fn.params.length - 1];
      if (fn.variadic !== undefined) t = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      argv.push(this.validateType(final, t));
    }
    try {
      return fn.call(argv);
    } catch (error) {
      if (error instanceof GoCallError) this.fail(`error calling ${name}: ${error.message}`);
      if (error instanceof GoCallUnsupported) this.refuse(`${name}: ${error.construct}`);
      throw error;
    }
  }

  /** An argument for a parameter of type `typ` (undefined: no type, as for a chain's receiver). */
  private evalArg(dot: GoRuntimeValue, typ: ParamType | undefined, n: Operand): GoRuntimeValue {
    switch (n.kind) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any') return null;
        if (typ === 'value') return undefined;
        this.fail(`cannot assign nil to ${typ ?? 'interface {}'}`);
      // falls through (fail never returns)
      case 'field':
        return this.validateType(this.evalFieldChain(dot, dot, n.idents, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariable(dot, n, [], MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n.pipe), typ);
      case 'identifier':
        return this.validateType(this.evalCall(dot, n.name, [], MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChain(dot, n, [], MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.kind === 'bool') return n.value;
        this.fail(`expected bool; found ${this.literalText(n)}`);
      // falls through
      case 'int':
        if (n.kind === 'number' && n.int !== undefined) return n.int;
        this.fail(`expected integer; found ${this.literalText(n)}`);
      // falls through
      case 'string':
        if (n.kind === 'string') return n.value;
        this.fail(`expected string; found ${this.literalText(n)}`);
      // falls through
      default:
        // interface{} and reflect.Value take the literal's own type.
        return n.kind === 'number' ? this.idealConstant(n) : n.value;
    }
  }

  private literalText(n: Operand): string {
    return n.kind === 'string' ? JSON.stringify(n.value) : n.kind === 'number' ? n.text : n.kind === 'bool' ? String(n.value) : n.kind;
  }

  private validateType(value: GoRuntimeValue, typ: ParamType | undefined): GoRuntimeValue {
    if (value === undefined) {
      if (typ === undefined || typ === 'value') return undefined;
      if (typ === 'any') return null;
      this.fail(`invalid value; expected ${typ}`);
    }
    if (typ === undefined || typ === 'value' || typ === 'any') return value;
    const actual = typeof value === 'string' ? 'string' : typeof value === 'bigint' ? 'int' : typeof value === 'boolean' ? 'bool' : undefined;
    if (actual !== typ) this.fail(`wrong type for value; expected ${typ}; got ${value === null ? 'interface {}' : goTypeName(value)}`);
    return value;
  }
}

/** Run a parsed template with `data` as dot. Throws TemplateError (UnsupportedTemplateError, SuspiciousOutputError). */
export const executeTemplate = (template: ParsedTemplate, data: GoValue, options: TemplateOptions = {}): string => {
  const run = new Execution(template.source, data, options.missingKey ?? 'default', options.where, options.strictOutput ?? true);
  try {
    return run.run(template.nodes, data);
  } catch (error) {
    if (error instanceof BreakSignal || error instanceof ContinueSignal) throw new TemplateError('break or continue outside range', options.where, undefined);
    throw error;
  }
};

/** Parse and run in one step. */
export const renderTemplate = (source: string, data: GoValue, options: TemplateOptions = {}): string =>
  executeTemplate(parseTemplate(source, options.where), data, options);

/** `missingKey` from an ApplicationSet's `goTemplateOptions` (`missingkey=error`, `missingkey=zero`, …). */
export const missingKeyOption = (goTemplateOptions: readonly unknown[]): { missingKey: MissingKey; unsupported: string[] } => {
  let missingKey: MissingKey = 'default';
  const unsupported: string[] = [];
  for (const option of goTemplateOptions) {
    if (option === 'missingkey=error') missingKey = 'error';
    else if (option === 'missingkey=zero') missingKey = 'zero';
    else if (option === 'missingkey=default' || option === 'missingkey=invalid') missingKey = 'default';
    // Go's Template.Option panics on anything else; Argo CD then fails the whole ApplicationSet.
    else unsupported.push(String(option));
  }
  return { missingKey, unsupported };
};
