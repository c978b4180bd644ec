/**
 * The source of `shared/` read with the TypeScript compiler API, for the architecture test:
 * every module's imports (type-only ones and re-exports included), its function-like nodes with
 * their line spans, and its AWS SDK imports and DynamoDB expression strings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface Module {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  lines: number;
  /** Import specifiers as written. */
  specifiers: string[];
  /** Resolved repository files of the relative imports. */
  imports: string[];
  functions: { name: string; line: number; lines: number }[];
  /** DynamoDB expression attributes, expression strings, TransactItems: what a use case must not say. */
  expressions: string[];
}

export function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir))) {
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...listTs(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(path.split('\\').join('/'));
  }
  return out.sort();
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(ROOT, dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(ROOT, candidate).split('\\').join('/');
  }
  return undefined;
}

const EXPRESSION_NAMES =
  /^(KeyConditionExpression|ConditionExpression|UpdateExpression|FilterExpression|ProjectionExpression|ExpressionAttributeNames|ExpressionAttributeValues|TransactItems?|TransactItem)$/;
const EXPRESSION_TEXT =
  /\b(attribute_not_exists|attribute_exists|attribute_type|begins_with|if_not_exists|list_append)\s*\(|^\s*(SET|ADD|REMOVE)\s+[#\w]+\s*(=|,|\s:)|[#\w.]+\s*(=|<>|<=|>=|<|>)\s*:\w+|\bBETWEEN\s+:\w+\s+AND\s+:\w+/;

const FUNCTION_KINDS = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return node.kind === ts.SyntaxKind.Constructor ? 'constructor' : '(anonymous)';
}

export function readModule(file: string): Module {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const specifiers: string[] = [];
  const functions: Module['functions'] = [];
  const expressions: string[] = [];

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    }
    if (FUNCTION_KINDS.has(node.kind)) {
      const start = lineOf(node.getStart(source));
      functions.push({ name: functionName(node), line: start, lines: lineOf(node.getEnd()) - start + 1 });
    }
    if (ts.isIdentifier(node) && EXPRESSION_NAMES.test(node.text)) expressions.push(`${node.text} (line ${lineOf(node.getStart(source))})`);
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) && EXPRESSION_TEXT.test(node.text)) {
      if (!ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent))
        expressions.push(`'${node.text}' (line ${lineOf(node.getStart(source))})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);

  const imports = [...new Set(specifiers.map((s) => resolveImport(file, s)).filter((f): f is string => f !== undefined))];
  return { file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), specifiers, imports, functions, expressions };
}

/** The import circles among the given modules (strongly connected components, Tarjan). */
export function importCycles(modules: Module[]): string[][] {
  const graph = new Map(modules.map((m) => [m.file, m.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const strongConnect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strongConnect(v);
  return cycles;
}
