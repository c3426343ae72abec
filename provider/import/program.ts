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
import type { HookObject, RepositoryObject } from "../client/api";
import { repositoryState, SETTINGS } from "../resources/repository";
import { printableAscii } from "./escape";
import type { ImportedRepository } from "./workspace";

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
  counts: { repositories: number; forks: number; webhooks: number; grants: number; overrideSettings: number };
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

/** A value as code: a string literal (the printer escapes it), a boolean or an array of those. */
function value(v: unknown): ts.Expression {
  if (typeof v === "string") return f.createStringLiteral(v);
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

/** The arguments of a resource attached to a repository: the workspace and the repository's ID first. */
const attachedTo = (variable: string, members: Member[]) => objectLiteral([["workspace", identifier("workspace")], ["repository", idOf(variable)], ...members]);

/** The settings Bitbucket reports for a repository (or a fork), as arguments: empty texts are left out (unmanaged). */
function settingsMembers(live: RepositoryObject, workspace: string, keys: readonly string[]): Member[] {
  const state = repositoryState(live, workspace) as Record<string, unknown>;
  return keys.map((k) => [k, state[k] === undefined || state[k] === "" ? undefined : value(state[k])]);
}

const SETTING_KEYS = Object.keys(SETTINGS);

/** A parent's full name `workspace/slug` in its parts (workspace slugs have no '/'). */
function parentOf(fullName: string | undefined): { workspace: string; slug: string } {
  const name = fullName ?? "";
  const slash = name.indexOf("/");
  return slash < 0 ? { workspace: name, slug: "" } : { workspace: name.slice(0, slash), slug: name.slice(slash + 1) };
}

/** What a repository's block needs from the whole program. */
interface Scope {
  workspace: string;
  variables: Map<string, string>;
  /** Slugs whose variable is declared above: a fork refers only to those. */
  declared: Set<string>;
  secrets: SecretKey[];
  secretKeys: Set<string>;
}

function hookStatement(repo: ImportedRepository, variable: string, hook: HookObject, index: number, scope: Scope): ts.Statement {
  const name = `${repo.slug}-webhook-${index + 1}`;
  let secret: ts.Expression | undefined;
  if (hook.secret_set) {
    const key = configKey(name, scope.secretKeys);
    scope.secrets.push({ key, repository: repo.slug, url: hook.url });
    // Bitbucket never returns a secret: the stack config must hold it, or `up` would remove it.
    secret = f.createCallExpression(f.createPropertyAccessExpression(identifier("config"), "requireSecret"), undefined, [f.createStringLiteral(key)]);
  }
  const args = attachedTo(variable, [
    ["url", value(hook.url)],
    ["description", hook.description ? value(hook.description) : undefined],
    ["active", value(hook.active ?? true)],
    ["events", value([...hook.events].sort())],
    ["secret", secret],
  ]);
  return f.createExpressionStatement(newResource("Webhook", name, args));
}

/** The repository's explicit grants as one authoritative RepositoryAccess (both collections, so a grant added later is drift). */
function accessLines(repo: ImportedRepository, variable: string): Line[] {
  if (!repo.groups || !repo.users) return [new Comment("Grants not imported: these credentials cannot read permissions-config (access tokens cannot).")];
  const groups = Object.entries(repo.groups).sort(([a], [b]) => a.localeCompare(b));
  const users = [...repo.users].sort((a, b) => a.accountId.localeCompare(b.accountId));
  if (groups.length === 0 && users.length === 0) return [];
  const args = attachedTo(variable, [
    ["groups", objectLiteral(groups.map(([slug, permission]) => [slug, value(permission)]))],
    // Each user's display name in a comment before the account id.
    ["users", objectLiteral(users.map((u) => [u.accountId, value(u.permission), u.displayName]))],
  ]);
  return [f.createExpressionStatement(newResource("RepositoryAccess", `${repo.slug}-access`, args))];
}

function overrideLines(repo: ImportedRepository, variable: string): Line[] {
  const { default_merge_strategy: mergeStrategy = false, branching_model: branchingModel = false } = repo.overrides;
  // Inheriting both is Bitbucket's default: nothing to declare.
  if (!mergeStrategy && !branchingModel) return [];
  const args = attachedTo(variable, [
    ["defaultMergeStrategy", value(mergeStrategy)],
    ["branchingModel", value(branchingModel)],
  ]);
  return [f.createExpressionStatement(newResource("OverrideSettings", `${repo.slug}-override-settings`, args))];
}

/** The repository (or fork) declaration itself. */
function declarationLines(repo: ImportedRepository, variable: string, scope: Scope): Line[] {
  const { live } = repo;
  const { workspace } = scope;
  if (!live.parent) {
    const args = objectLiteral([
      ["workspace", identifier("workspace")],
      ["name", value(live.name)],
      ["slug", value(repo.slug)],
      ...settingsMembers(live, workspace, [...SETTING_KEYS, "website"]),
      ["adopt", value(true)],
    ]);
    return [constant(variable, newResource("Repository", repo.slug, args))];
  }
  const parent = parentOf(live.parent.full_name);
  const local = parent.workspace === workspace;
  const parentVariable = local && scope.declared.has(parent.slug) ? scope.variables.get(parent.slug) : undefined;
  const args = objectLiteral([
    ["workspace", local ? identifier("workspace") : value(parent.workspace)],
    // The parent by UUID (or its variable's ID) survives the parent's renames.
    ["repository", parentVariable ? idOf(parentVariable) : value(live.parent.uuid ?? parent.slug)],
    ["targetWorkspace", local ? undefined : identifier("workspace")],
    ["name", value(live.name)],
    ...settingsMembers(live, workspace, SETTING_KEYS),
    ["adopt", value(true)],
  ]);
  const declaration = constant(variable, newResource("Fork", repo.slug, args));
  return parentVariable ? [declaration] : [new Comment(`A fork of ${live.parent.full_name ?? live.parent.uuid}`), declaration];
}

function repositoryBlock(repo: ImportedRepository, scope: Scope): string {
  const variable = scope.variables.get(repo.slug)!;
  const href = repo.live.links?.html?.href;
  const lines = [
    new Comment(`${repo.live.full_name}${href ? ` (${href})` : ""}`),
    ...declarationLines(repo, variable, scope),
    ...repo.hooks.map((hook, i) => hookStatement(repo, variable, hook, i, scope)),
    ...accessLines(repo, variable),
    ...overrideLines(repo, variable),
  ];
  scope.declared.add(repo.slug);
  return print(lines);
}

/** The printer indents by four spaces; the project's style is two. Only indentation changes: no line starts inside a literal, as the printer escapes every line terminator in one. */
const twoSpaceIndent = (text: string) => text.replace(/^(?: {4})+/gm, (indent) => " ".repeat(indent.length / 2));

/** The program for the imported repositories of one workspace. */
export function renderProgram(repositories: ImportedRepository[], options: ProgramOptions): Program {
  const { workspace } = options;
  const bySlug = new Set(repositories.map((r) => r.slug));
  // A fork comes after its parent when the parent is imported too; other forks need no ordering.
  const isLocalFork = (r: ImportedRepository) => {
    const parent = r.live.parent ? parentOf(r.live.parent.full_name) : undefined;
    return parent !== undefined && parent.workspace === workspace && bySlug.has(parent.slug);
  };
  const taken = new Set<string>();
  const scope: Scope = {
    workspace,
    variables: new Map(repositories.map((r) => [r.slug, variableName(r.slug, taken)])),
    declared: new Set(),
    secrets: [],
    secretKeys: new Set(),
  };

  const sections: string[] = [];
  const projectOf = (r: ImportedRepository) => r.live.project?.key ?? "";
  const section = (title: string, members: ImportedRepository[]) => {
    if (members.length === 0) return;
    const heading = print([new Comment(`---- ${title} ${"-".repeat(Math.max(3, 96 - title.length))}`)]);
    sections.push([heading, ...members.map((r) => repositoryBlock(r, scope))].join("\n\n"));
  };
  const projects = [...new Set(repositories.map(projectOf))].sort();
  for (const project of projects) {
    const members = repositories.filter((r) => projectOf(r) === project && !isLocalFork(r));
    section(project ? `Project ${project}` : "No project", members);
  }
  for (const project of projects) {
    const members = repositories.filter((r) => projectOf(r) === project && isLocalFork(r));
    section(`Forks${project ? ` in project ${project}` : ""} (after their parents)`, members);
  }

  const keep: Member[] = [
    ["protect", options.protect ? value(true) : undefined],
    ["retainOnDelete", options.retainOnDelete ? value(true) : undefined],
  ];
  const why = [
    options.retainOnDelete ? "retainOnDelete: removing a resource from this program or `pulumi destroy` leaves the object in Bitbucket." : "",
    options.protect ? "protect: Pulumi refuses to delete these resources until the option is removed." : "",
  ].filter(Boolean);
  const header = print([
    new Comment(`The repositories of Bitbucket workspace ${workspace}, as written by \`${options.commandLine}\`.`),
    new Comment("Every resource takes over the object that exists: repositories and forks by slug (adopt: true);"),
    new Comment("webhooks, grants (RepositoryAccess: all of a repository's) and override settings by what they are."),
    new Comment("Taking over writes only what differs from this program."),
    new Comment("Settings Bitbucket reported empty are left out (not managed): add them to manage them."),
    new Comment("Webhooks that have a secret read it from the stack config (Bitbucket never returns secrets): see README.md."),
    namespaceImport("pulumi", "@pulumi/pulumi"),
    namespaceImport("bitbucket", "pulumi-bitbucket-cloud"),
  ]);
  const setup = print([
    constant("config", f.createNewExpression(f.createPropertyAccessExpression(identifier("pulumi"), "Config"), undefined, [])),
    constant("workspace", value(workspace)),
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

  const hooks = repositories.reduce((n, r) => n + r.hooks.length, 0);
  const grants = repositories.reduce((n, r) => n + Object.keys(r.groups ?? {}).length + (r.users?.length ?? 0), 0);
  const overrideSettings = repositories.filter((r) => r.overrides.default_merge_strategy || r.overrides.branching_model).length;
  const forks = repositories.filter((r) => r.live.parent).length;
  return {
    text: twoSpaceIndent(`${[header, setup, ...sections].join("\n\n")}\n`),
    secrets: scope.secrets,
    counts: { repositories: repositories.length - forks, forks, webhooks: hooks, grants, overrideSettings },
  };
}
