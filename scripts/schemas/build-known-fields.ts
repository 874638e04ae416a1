// Build-time generator of the strict field tables (known-fields/<package>.json).
//
// Why: the validators kubernetes-models ships accept unknown fields (a typo like `replcas` passes, and the API
// server silently drops it). Their TypeScript definitions list every field, so the TypeScript compiler turns them
// into a field tree per kind. Run after upgrading a model package:
//
//   pnpm exec tsx scripts/schemas/build-known-fields.ts
//
// A test fails when an installed package's version differs from the one a table was generated from.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

import { isEntryPoint } from '../lib/run-main.ts';
import { KNOWN_FIELDS_DIR } from './known-fields-dir.ts';
import { ANY, kindKey, type FieldTable, type KindEntry, type Shape } from './field-table.ts';
import { MODEL_PACKAGES, knownFieldsFile } from './model-packages.ts';


/** Installed folder and version of a package. */
export const packageInfo = (name: string): { dir: string; version: string } => {
  // Resolving `<name>/package.json` is not allowed by every package's exports map; resolve the main entry instead.
  // The packages are import-only (an `exports` map with the `import` condition), hence import.meta.resolve.
  const entry = fileURLToPath(import.meta.resolve(name));
  let dir = dirname(entry);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return { dir, version: pkg.version ?? 'unknown' };
    } catch {
      // not this folder
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find package.json of ${name}`);
    dir = up;
  }
};

interface KindFile {
  readonly file: string;
  readonly interfaceName: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** Import specifier of the module. */
  readonly module: string;
}

// A kind module declares `class <Kind> extends Model<I<Kind>>` and its interface has literal apiVersion and kind.
const CLASS_RE = /export declare class (\w+) extends Model<(\w+)>/;
const API_VERSION_RE = /"apiVersion": "([^"]+)";/;
const KIND_LITERAL_RE = /"kind": "([^"]+)";/;

const walkKindFiles = (pkgName: string, pkgDir: string): KindFile[] => {
  const out: KindFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '_schemas') walk(join(dir, entry.name));
        continue;
      }
      if (!entry.name.endsWith('.d.ts') || entry.name === 'index.d.ts') continue;
      const file = join(dir, entry.name);
      const text = readFileSync(file, 'utf8');
      const cls = CLASS_RE.exec(text);
      const apiVersion = API_VERSION_RE.exec(text)?.[1];
      const kind = KIND_LITERAL_RE.exec(text)?.[1];
      if (cls === null || apiVersion === undefined || kind === undefined || cls[1] !== kind) continue;
      const interfaceName = cls[2] as string;
      // Lists are never applied as objects (Kustomize flattens them); their items are checked as their own kinds.
      if (kind.endsWith('List')) continue;
      const rel = relative(pkgDir, file).replace(/\.d\.ts$/, '').split('\\').join('/');
      out.push({ file, interfaceName, apiVersion, kind, module: `${pkgName}/${rel}` });
    }
  };
  walk(pkgDir);
  return out.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
};

/**
 * Turns type declarations into the shape table of one package. It walks the declarations' syntax rather than the
 * checker's types: Istio's definitions intersect unions of large anonymous object types, and letting the checker
 * normalise those (distributing `A & (B | C)`) exhausts memory, while merging them node by node stays linear.
 */
class ShapeBuilder {
  readonly shapes: Array<Shape | null> = [null];
  /** Unresolvable type nodes seen (accepted as ANY); reported so a generator change cannot hide fields. */
  unresolved = 0;
  private readonly byDeclaration = new Map<ts.Node, number>();
  private readonly byMerge = new Map<string, number>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** Shape of a named interface (a kind's root). */
  declarationShape(declaration: ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration): number {
    const known = this.byDeclaration.get(declaration);
    if (known !== undefined) return known;
    if (ts.isTypeAliasDeclaration(declaration)) {
      // Reserve first: aliases can be recursive through object members.
      const id = this.reserve();
      this.byDeclaration.set(declaration, id);
      const inner = this.nodeShape(declaration.type);
      this.shapes[id] = inner === ANY ? null : (this.shapes[inner] ?? null);
      if (inner === ANY) this.byDeclaration.set(declaration, ANY);
      return inner === ANY ? ANY : id;
    }
    const id = this.reserve();
    this.byDeclaration.set(declaration, id);
    let shape = this.membersShape(declaration.members);
    for (const clause of ts.isInterfaceDeclaration(declaration) ? (declaration.heritageClauses ?? []) : []) {
      for (const base of clause.types) {
        const baseId = this.referenceShape(base.expression, base.typeArguments);
        shape = this.mergeShapes(shape, this.shapes[baseId] ?? null);
      }
    }
    this.shapes[id] = shape;
    return id;
  }

  private nodeShape(node: ts.TypeNode): number {
    if (ts.isParenthesizedTypeNode(node) || ts.isTypeOperatorNode(node)) return this.nodeShape(node.type);
    if (ts.isArrayTypeNode(node)) return this.add({ a: this.nodeShape(node.elementType) });
    if (ts.isTypeLiteralNode(node)) {
      const shape = this.membersShape(node.members);
      return shape === null ? ANY : this.add(shape);
    }
    if (ts.isUnionTypeNode(node)) {
      if (node.types.some((t) => t.kind === ts.SyntaxKind.AnyKeyword || t.kind === ts.SyntaxKind.UnknownKeyword)) return ANY;
      // Scalars in a union are not looked into; the structured members' fields are merged (lenient, never wrong).
      const ids = node.types.map((t) => this.nodeShape(t)).filter((id) => id !== ANY);
      return ids.length === 0 ? ANY : ids.reduce((a, b) => this.merge(a, b));
    }
    if (ts.isIntersectionTypeNode(node)) {
      const ids = node.types.map((t) => this.nodeShape(t));
      return ids.includes(ANY) ? ANY : ids.reduce((a, b) => this.merge(a, b));
    }
    if (ts.isTypeReferenceNode(node)) return this.referenceShape(node.typeName, node.typeArguments);
    if (ts.isLiteralTypeNode(node) || this.isKeyword(node)) return ANY;
    this.unresolved++;
    return ANY;
  }

  private isKeyword(node: ts.TypeNode): boolean {
    return node.kind >= ts.SyntaxKind.FirstKeyword && node.kind <= ts.SyntaxKind.LastKeyword;
  }

  private referenceShape(name: ts.EntityName | ts.Expression, args: ts.NodeArray<ts.TypeNode> | undefined): number {
    const text = name.getText();
    if ((text === 'Array' || text === 'ReadonlyArray') && args?.[0] !== undefined) return this.add({ a: this.nodeShape(args[0]) });
    // Istio writes oneOf as `A & (Exclude<B, C> | …)`: the fields of `Exclude<B, C>` are at most those of B.
    if ((text === 'Exclude' || text === 'Extract' || text === 'NonNullable') && args?.[0] !== undefined) return this.nodeShape(args[0]);
    let symbol = this.checker.getSymbolAtLocation(name);
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.declarations?.[0];
    if (declaration === undefined) {
      this.unresolved++;
      return ANY;
    }
    if (ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration) || ts.isClassDeclaration(declaration)) {
      return this.declarationShape(declaration);
    }
    if (ts.isEnumDeclaration(declaration)) return ANY;
    this.unresolved++;
    return ANY;
  }

  private membersShape(members: ts.NodeArray<ts.TypeElement | ts.ClassElement>): Shape | null {
    const fields: Record<string, number> = {};
    let map: number | undefined;
    let count = 0;
    for (const member of members) {
      if ((ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) && member.type !== undefined) {
        if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
        const key = ts.isStringLiteral(member.name) || ts.isIdentifier(member.name) ? member.name.text : member.name.getText();
        fields[key] = this.nodeShape(member.type);
        count++;
      } else if (ts.isIndexSignatureDeclaration(member)) {
        map = this.nodeShape(member.type);
      }
    }
    if (count === 0 && map === undefined) return null;
    const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { ...(count > 0 ? { f: sorted } : {}), ...(map !== undefined ? { m: map } : {}) };
  }

  private reserve(): number {
    this.shapes.push(null);
    return this.shapes.length - 1;
  }

  private add(shape: Shape): number {
    this.shapes.push(shape);
    return this.shapes.length - 1;
  }

  /** A shape accepting what either accepts. */
  private merge(a: number, b: number): number {
    if (a === b) return a;
    if (a === ANY || b === ANY) return ANY;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    const known = this.byMerge.get(key);
    if (known !== undefined) return known;
    const id = this.reserve();
    this.byMerge.set(key, id);
    this.shapes[id] = this.mergeShapes(this.shapes[a] ?? null, this.shapes[b] ?? null);
    return id;
  }

  private mergeShapes(sa: Shape | null, sb: Shape | null): Shape | null {
    if (sa === null) return sb;
    if (sb === null) return sa;
    const out: { f?: Record<string, number>; m?: number; a?: number } = {};
    if (sa.f !== undefined || sb.f !== undefined) {
      const f: Record<string, number> = { ...sa.f };
      for (const [k, v] of Object.entries(sb.f ?? {})) f[k] = f[k] === undefined ? v : this.merge(f[k], v);
      out.f = Object.fromEntries(Object.entries(f).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    }
    const either = (x: number | undefined, y: number | undefined): number | undefined =>
      x === undefined ? y : y === undefined ? x : this.merge(x, y);
    const m = either(sa.m, sb.m);
    const arr = either(sa.a, sb.a);
    if (m !== undefined) out.m = m;
    if (arr !== undefined) out.a = arr;
    return out;
  }
}

const interfaceDeclaration = (source: ts.SourceFile, name: string): ts.InterfaceDeclaration => {
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) return statement;
  }
  throw new Error(`${source.fileName}: interface ${name} not found`);
};

/** Generate the field table of every model package (pure apart from reading the installed packages). */
export const buildFieldTables = (packages: readonly string[] = MODEL_PACKAGES.map((p) => p.name)): FieldTable[] => {
  const found = packages.map((name) => {
    const { dir, version } = packageInfo(name);
    return { name, version, kinds: walkKindFiles(name, dir) };
  });
  const program = ts.createProgram(
    found.flatMap((p) => p.kinds.map((k) => k.file)),
    { noEmit: true, skipLibCheck: true, types: [], module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true },
  );
  const checker = program.getTypeChecker();
  return found.map((p) => {
    const builder = new ShapeBuilder(checker);
    const kinds: Record<string, KindEntry> = {};
    for (const k of p.kinds) {
      const source = program.getSourceFile(k.file);
      if (source === undefined) throw new Error(`${k.file} not loaded`);
      kinds[kindKey(k.apiVersion, k.kind)] = {
        module: k.module,
        exportName: k.kind,
        shape: builder.declarationShape(interfaceDeclaration(source, k.interfaceName)),
      };
    }
    if (builder.unresolved > 0) throw new Error(`${p.name}: ${builder.unresolved} type nodes could not be resolved`);
    return { package: p.name, version: p.version, kinds, shapes: builder.shapes };
  });
};

const main = (): void => {
  mkdirSync(KNOWN_FIELDS_DIR, { recursive: true });
  for (const table of buildFieldTables()) {
    const file = join(KNOWN_FIELDS_DIR, knownFieldsFile(table.package));
    writeFileSync(file, `${JSON.stringify(table)}\n`);
    process.stdout.write(`${relative(process.cwd(), file)}: ${Object.keys(table.kinds).length} kinds, ${table.shapes.length} shapes (${table.package} ${table.version})\n`);
  }
};

if (isEntryPoint(import.meta.url)) main();
