// The index.ts that `import` writes: one block per repository (its settings, webhooks, grants as one
// RepositoryAccess, and override settings), grouped by project, forks after the repositories they fork. Every resource takes
// over the object that exists (adopt, or a creation that writes only what differs) and is kept in
// Bitbucket when the stack lets go of it (retainOnDelete) or refuses to delete it (protect).
//
// Bitbucket's data is never pasted into code: the program is built as syntax with the TypeScript
// compiler's factory and printed by its printer, so every value is a string literal in which the
// printer escapes quotes, backslashes, line terminators and every character outside ASCII. Variable
// names come only from `variableName`, comments only from `Comment` (their text as printable ASCII).
import * as ts from "typescript";
import { CONTAINER_ID, WORKSPACE, type Declaration, type ImportValue, type TopDeclaration } from "../resources/discovery";
import { printableAscii } from "./escape";
import { ATTACHED, TOP_LEVEL, type ImportedObject } from "./workspace";

export interface ProgramOptions {
  workspace: string;
  /** Resource options every resource gets (at least one is true). */
  protect: boolean;
  retainOnDelete: boolean;
  /** The command line that made it, for the header comment. */
  commandLine: string;
}

/** A webhook secret the program reads from the stack config (Bitbucket never returns secrets). */
export interface SecretKey {
  key: string;
  repository: string;
  url: string;
}

export interface Program {
  text: string;
  secrets: SecretKey[];
  /** What each importing kind declared, in the summary's order ("repositories", "forks", "webhooks"...). */
  counts: { label: string; count: number }[];
}

/** "6 repositories, 1 forks, 2 webhooks" with `last` before the last count (", " or " and "). */
export function countsText(counts: Program["counts"], last = ", "): string {
  const shown = counts.map(({ label, count }) => `${count} ${label}`);
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")}${last}${shown.at(-1)}` : shown.join("");
}

// ---- Names -------------------------------------------------------------------------------------

/**
 * What no generated variable may be called: the reserved words of ECMAScript, those of strict mode
 * and modules (`await`, `let`, `static`, `implements`, ...), `eval` and `arguments` (not bindable in
 * strict mode), TypeScript's keywords, the names the file declares or CommonJS defines, and globals a
 * declaration would shadow.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  [
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in",
    "instanceof new null return super switch this throw true try typeof var void while with",
    "await implements interface let package private protected public static yield eval arguments",
    "abstract accessor any as asserts async bigint boolean constructor declare from get global infer intrinsic is keyof module namespace",
    "never number object of out override readonly require satisfies set string symbol type unique unknown using",
    "pulumi bitbucket config workspace keep exports __dirname __filename __proto__ prototype undefined NaN Infinity globalThis",
  ]
    .join(" ")
    .split(" "),
);

/**
 * The one maker of variable names: the slug camelCased in ASCII letters and digits, `repo` before a
 * name that would start with a digit (or be empty), `Repo` after a reserved word, a number after a
 * name already in `taken`. The name is added to `taken`.
 */
export function variableName(slug: string, taken: Set<string>): string {
  let name = slug
    .toLowerCase()
    .replace(/[^a-z0-9]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, "");
  if (!/^[A-Za-z]/.test(name)) name = `repo${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  if (RESERVED_WORDS.has(name)) name = `${name}Repo`;
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(unique) || RESERVED_WORDS.has(unique))
    throw new Error(`import made the variable name ${unique}, which is not a valid one`);
  taken.add(unique);
  return unique;
}

/**
 * The stack config key of a webhook's secret: letters, digits, '_', '.' and '-' only (the README puts
 * it on a shell command line), starting with a letter or digit (never read as an option), unique.
 */
function configKey(resourceName: string, taken: Set<string>): string {
  const base = `${resourceName}-secret`.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

// ---- Syntax ------------------------------------------------------------------------------------

const f = ts.factory;

/** A comment line of the program. Its text is printed only through `commentText`. */
class Comment {
  constructor(readonly text: string) {}
}

/** The one way text gets into a comment: as printable ASCII, so nothing in it can end the comment's line. */
const commentText = (text: string) => ` ${printableAscii(text)}`;

/** The node with a comment line before it. */
function commented<T extends ts.Node>(node: T, text: string): T {
  return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.SingleLineCommentTrivia, commentText(text), true);
}

/** A value as code: a string literal (the printer escapes it), a boolean, a whole number ≥ 0 or an array of those. */
function value(v: unknown): ts.Expression {
  if (typeof v === "string") return f.createStringLiteral(v);
  // Only digits reach the code: a negative or non-finite number from Bitbucket is refused.
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return f.createNumericLiteral(v);
  if (typeof v === "boolean") return v ? f.createTrue() : f.createFalse();
  if (Array.isArray(v)) return f.createArrayLiteralExpression(v.map(value));
  throw new Error(`import cannot write a ${typeof v} value`);
}

const identifier = (name: string) => f.createIdentifier(name);

/** An object key: bare when it is a plain identifier, else a string literal; `__proto__` computed, as a literal key of that name would set the prototype. */
function propertyName(key: string): ts.PropertyName {
  if (key === "__proto__") return f.createComputedPropertyName(f.createStringLiteral(key));
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? identifier(key) : f.createStringLiteral(key);
}

/** An object member: its key, its value (undefined: left out) and an optional comment before it. */
type Member = [key: string, value: ts.Expression | undefined, note?: string];

/** `{ a: 1, b: "x" }` over several lines with a trailing comma; `{ workspace }` when the value is the variable of that name. */
function objectLiteral(members: Member[]): ts.ObjectLiteralExpression {
  const properties = members.flatMap(([key, v, note]) => {
    if (v === undefined) return [];
    const property = ts.isIdentifier(v) && v.text === key ? f.createShorthandPropertyAssignment(key) : f.createPropertyAssignment(propertyName(key), v);
    return [note === undefined ? property : commented(property, note)];
  });
  return f.createObjectLiteralExpression(f.createNodeArray(properties, properties.length > 0), true);
}

/** `new bitbucket.<kind>("<name>", { ... }, keep)` */
const newResource = (kind: string, name: string, args: ts.Expression) =>
  f.createNewExpression(f.createPropertyAccessExpression(identifier("bitbucket"), kind), undefined, [f.createStringLiteral(name), args, identifier("keep")]);

const constant = (name: string, init: ts.Expression, type?: ts.TypeNode) =>
  f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, type, init)], ts.NodeFlags.Const));

const namespaceImport = (name: string, from: string) =>
  f.createImportDeclaration(undefined, f.createImportClause(undefined, undefined, f.createNamespaceImport(identifier(name))), f.createStringLiteral(from));

const idOf = (variable: string) => f.createPropertyAccessExpression(identifier(variable), "id");

type Line = ts.Statement | Comment;

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
const FILE = ts.createSourceFile("index.ts", "", ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);

/** Lines printed one after the other. */
function print(lines: Line[]): string {
  return lines.map((line) => (line instanceof Comment ? `//${commentText(line.text)}` : printer.printNode(ts.EmitHint.Unspecified, line, FILE))).join("\n");
}

// ---- The program -------------------------------------------------------------------------------

/** An imported object as the program's maps know it: keys are unique only within a collection (a project key may equal a slug). */
const objectRef = (collection: string, key: string) => JSON.stringify([collection, key]);

/**
 * Keys every object inherits (`constructor`, `toString`...): TypeScript types such a member of an object
 * literal without the map's contextual type, so `{ constructor: "read" }` is a `string` where a
 * permission is expected and the program fails to compile; `"read" as const` keeps the literal type.
 */
const INHERITED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
const asConst = (literal: ts.Expression) => f.createAsExpression(literal, f.createTypeReferenceNode("const"));

/** What a block needs from the whole program. */
interface Scope {
  workspace: string;
  /** Each object's variable, by objectRef. */
  variables: Map<string, string>;
  /** The objects (objectRef) whose variable is declared above: a reference goes only to those. */
  declared: Set<string>;
  secrets: SecretKey[];
  secretKeys: Set<string>;
  /** What each kind's declarations count in the summary. */
  counted: Map<string, number>;
}

/** A declaration's argument as code, and the comment it asks for before the declaration (a reference that fell back). */
function expression(v: ImportValue, name: string, container: string | undefined, scope: Scope): { code: ts.Expression; note?: string } {
  if (typeof v === "string" || typeof v === "boolean" || typeof v === "number" || Array.isArray(v)) return { code: value(v) };
  if (v === WORKSPACE) return { code: identifier("workspace") };
  if ("special" in v) {
    if (v !== CONTAINER_ID || container === undefined) throw new Error(`import: ${name} has an argument import cannot write`);
    return { code: idOf(scope.variables.get(container)!) };
  }
  if ("entries" in v) {
    const members = v.entries.map(([key, entry, comment]): Member => {
      const code = expression(entry, name, container, scope).code;
      return [key, INHERITED_NAMES.has(key) && ts.isStringLiteral(code) ? asConst(code) : code, comment];
    });
    return { code: objectLiteral(members) };
  }
  if ("items" in v) {
    const items = v.items.map((item) => expression(item, name, container, scope).code);
    return { code: f.createArrayLiteralExpression(f.createNodeArray(items, items.length > 0), items.length > 0) };
  }
  if ("idOf" in v) {
    const ref = objectRef(v.in, v.idOf);
    const variable = scope.declared.has(ref) ? scope.variables.get(ref) : undefined;
    return variable ? { code: idOf(variable) } : { code: value(v.orElse), note: v.note };
  }
  if ("outputOf" in v) {
    const ref = objectRef(v.in, v.outputOf);
    const variable = scope.declared.has(ref) ? scope.variables.get(ref) : undefined;
    return { code: variable ? f.createPropertyAccessExpression(identifier(variable), identifier(v.output)) : value(v.orElse) };
  }
  const key = configKey(name, scope.secretKeys);
  scope.secrets.push({ key, ...v.configSecret });
  // Bitbucket never returns a secret: the stack config must hold it, or `up` would remove it.
  return { code: f.createCallExpression(f.createPropertyAccessExpression(identifier("config"), "requireSecret"), undefined, [f.createStringLiteral(key)]) };
}

/** `new bitbucket.<kind>(...)` for a declaration, after its comments; as the variable `variable` when given. */
function declarationLines(kind: string, declaration: Declaration, scope: Scope, container: string | undefined, variable?: string): Line[] {
  const notes: string[] = [];
  const members = declaration.args.map(([key, v]): Member => {
    if (v === undefined) return [key, undefined];
    const { code, note } = expression(v, declaration.name, container, scope);
    if (note !== undefined) notes.push(note);
    return [key, code];
  });
  const created = newResource(kind, declaration.name, objectLiteral(members));
  scope.counted.set(kind, (scope.counted.get(kind) ?? 0) + (declaration.count ?? 1));
  const statement = variable === undefined ? f.createExpressionStatement(created) : constant(variable, created);
  return [...[...(declaration.comments ?? []), ...notes].map((text) => new Comment(text)), statement];
}

/** One object of the workspace: its declaration, then what each attached kind declares on it. */
function block(object: ImportedObject, [kind, declaration]: [string, TopDeclaration], scope: Scope): string {
  const ref = objectRef(object.collection, object.key);
  const lines = [
    ...declarationLines(kind, declaration, scope, undefined, scope.variables.get(ref)),
    ...ATTACHED.flatMap(([attachedKind, rule]) =>
      rule.on.label !== object.collection
        ? []
        : rule
            .declare(object.attached[attachedKind], { key: object.key })
            .flatMap((line) => ("comment" in line ? [new Comment(line.comment)] : declarationLines(attachedKind, line, scope, ref))),
    ),
  ];
  scope.declared.add(ref);
  return print(lines);
}

/** The printer indents by four spaces; the project's style is two. Only indentation changes: no line starts inside a literal, as the printer escapes every line terminator in one. */
const twoSpaceIndent = (text: string) => text.replace(/^(?: {4})+/gm, (indent) => " ".repeat(indent.length / 2));

/** The program for the imported objects of one workspace. */
export function renderProgram(objects: ImportedObject[], options: ProgramOptions): Program {
  const { workspace } = options;
  const taken = new Set<string>();
  const scope: Scope = {
    workspace,
    variables: new Map(objects.map((o) => [objectRef(o.collection, o.key), variableName(o.key, taken)])),
    declared: new Set(),
    secrets: [],
    secretKeys: new Set(),
    counted: new Map(),
  };
  const imported = new Set(objects.map((o) => objectRef(o.collection, o.key)));
  const isImported = (collection: string, key: string) => imported.has(objectRef(collection, key));
  // Each object's declaration, by the workspace-level kind whose it is.
  const declared = objects.flatMap((object) =>
    TOP_LEVEL.flatMap(([kind, rule]) => {
      const declaration = rule.from.label === object.collection ? rule.declare(object.object, { workspace, isImported }) : undefined;
      return declaration ? [{ object, kind, declaration }] : [];
    }),
  );

  // Sections in order (`late` ones after the others), the objects of each in the listing's order.
  const order = (a: TopDeclaration["section"], b: TopDeclaration["section"]) =>
    Number(a.late) - Number(b.late) || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0);
  const sections = [...new Map(declared.map((d) => [d.declaration.section.title, d.declaration.section])).values()].sort(order).map(({ title }) => {
    const heading = print([new Comment(`---- ${title} ${"-".repeat(Math.max(3, 96 - title.length))}`)]);
    const members = declared.filter((d) => d.declaration.section.title === title);
    return [heading, ...members.map((d) => block(d.object, [d.kind, d.declaration], scope))].join("\n\n");
  });

  const header = [
    `The repositories of Bitbucket workspace ${workspace}, as written by \`${options.commandLine}\`.`,
    "Every resource takes over the object that exists: repositories and forks by slug (adopt: true);",
    "webhooks, grants (RepositoryAccess: all of a repository's) and override settings by what they are.",
    "Taking over writes only what differs from this program.",
    "Settings Bitbucket reported empty are left out (not managed): add them to manage them.",
    "Webhooks that have a secret read it from the stack config (Bitbucket never returns secrets): see README.md.",
  ];
  // Each kind's count, a kind that declared nothing included; grants count each grant.
  const counts = [...TOP_LEVEL, ...ATTACHED].map(([kind, rule]) => ({ label: rule.counted, count: scope.counted.get(kind) ?? 0 }));
  return { text: programText(header, options, sections), secrets: scope.secrets, counts };
}

/** The whole file: the header comments, the imports, `config`, `workspace` and `keep`, then the sections. */
function programText(header: string[], options: ProgramOptions, sections: string[]): string {
  const keep: Member[] = [
    ["protect", options.protect ? value(true) : undefined],
    ["retainOnDelete", options.retainOnDelete ? value(true) : undefined],
  ];
  const why = [
    options.retainOnDelete ? "retainOnDelete: removing a resource from this program or `pulumi destroy` leaves the object in Bitbucket." : "",
    options.protect ? "protect: Pulumi refuses to delete these resources until the option is removed." : "",
  ].filter(Boolean);
  const imports = print([
    ...header.map((line) => new Comment(line)),
    namespaceImport("pulumi", "@pulumi/pulumi"),
    namespaceImport("bitbucket", "pulumi-bitbucket-cloud"),
  ]);
  const setup = print([
    constant("config", f.createNewExpression(f.createPropertyAccessExpression(identifier("pulumi"), "Config"), undefined, [])),
    constant("workspace", value(options.workspace)),
    ...why.map((line) => new Comment(line)),
    constant(
      "keep",
      f.createObjectLiteralExpression(
        keep.flatMap(([k, v]) => (v ? [f.createPropertyAssignment(k, v)] : [])),
        false,
      ),
      f.createTypeReferenceNode(f.createQualifiedName(identifier("pulumi"), "CustomResourceOptions")),
    ),
  ]);
  return twoSpaceIndent(`${[imports, setup, ...sections].join("\n\n")}\n`);
}

// ---- The program for a Terraform state ---------------------------------------------------------

/** One instance of a Terraform state and what the kinds declared for it. */
export interface TerraformBlock {
  /** Its Terraform address (`bitbucket_repository.frontends["checkout-web"]`): the block's heading comment. */
  address: string;
  /** The address without the instance key: blocks of one resource make a section. */
  resource: string;
  declarations: [kind: string, declaration: Declaration][];
  /** The object the first declaration is, which later ones refer to: it gets a variable. */
  known?: { in: string; key: string };
}

export interface TerraformProgramOptions extends ProgramOptions {
  /** Where the state came from, for the header comment. */
  source: string;
  /** Comment lines after the header: what the state held that the program does not carry. */
  notCarried: string[];
}

/** The program for the instances of a Terraform state, in the order given (what others refer to first). */
export function renderTerraformProgram(blocks: TerraformBlock[], options: TerraformProgramOptions): Program {
  const taken = new Set<string>();
  const scope: Scope = {
    workspace: options.workspace,
    variables: new Map(blocks.flatMap((b) => (b.known ? [[objectRef(b.known.in, b.known.key), variableName(b.declarations[0][1].name, taken)]] : []))),
    declared: new Set(),
    secrets: [],
    secretKeys: new Set(),
    counted: new Map(),
  };
  const sections: string[] = [];
  let resource: string | undefined;
  for (const block of blocks) {
    const heading = block.resource === resource ? [] : [new Comment(`---- ${block.resource} ${"-".repeat(Math.max(3, 96 - block.resource.length))}`)];
    resource = block.resource;
    const known = block.known && objectRef(block.known.in, block.known.key);
    const lines = block.declarations.flatMap(([kind, declaration], i) => {
      // An instance of a resource with count or for_each is named by its address above its block.
      const comments = i === 0 && block.address !== block.resource ? [block.address, ...(declaration.comments ?? [])] : declaration.comments;
      const declared = declarationLines(kind, { ...declaration, comments }, scope, undefined, i === 0 && known ? scope.variables.get(known) : undefined);
      // The rest of the block (a repository's override settings) refers to the first declaration.
      if (i === 0 && known) scope.declared.add(known);
      return declared;
    });
    sections.push(print([...heading, ...lines]));
  }
  const header = [
    `The objects Terraform managed in ${options.source}, as written by \`${options.commandLine}\`.`,
    "Each block is named after its Terraform address. Every resource takes over the object that exists",
    "(repositories, forks and projects with adopt: true; the others by what they are) and writes only what",
    "differs from this program. Webhook secrets come from the stack config (never from the state): see README.md.",
    ...options.notCarried,
  ];
  const counts = [...scope.counted].map(([label, count]) => ({ label, count }));
  return { text: programText(header, options, sections), secrets: scope.secrets, counts };
}
