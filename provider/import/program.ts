// The index.ts that `import` writes: one block per repository (its settings, webhooks, grants as one
// RepositoryAccess, and override settings), grouped by project, forks after the repositories they fork. Every resource takes
// over the object that exists (adopt, or a creation that writes only what differs) and is kept in
// Bitbucket when the stack lets go of it (retainOnDelete) or refuses to delete it (protect).
import type { HookObject, RepositoryObject } from "../client/api";
import { repositoryState, SETTINGS } from "../resources/repository";
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

// Names the generated file already uses at the top level, and words TypeScript reserves.
const TAKEN = new Set(["pulumi", "bitbucket", "config", "workspace", "keep", "require", "exports", "module"]);
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private " +
    "protected public static yield await any boolean number string symbol type of"
  ).split(" "),
);

/** A variable name per slug: camelCase, never a reserved word, never starting with a digit, unique. */
function variableNames(slugs: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set(TAKEN);
  for (const slug of slugs) {
    let name = slug.toLowerCase().replace(/[^a-z0-9]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    name = name.replace(/[^A-Za-z0-9]/g, "");
    if (!/^[A-Za-z]/.test(name)) name = `repo${name.charAt(0).toUpperCase()}${name.slice(1)}`;
    if (RESERVED.has(name) || TAKEN.has(name)) name = `${name}Repo`;
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = `${name}${n}`;
    used.add(unique);
    names.set(slug, unique);
  }
  return names;
}

const literal = (value: unknown): string => (Array.isArray(value) ? `[${value.map(literal).join(", ")}]` : JSON.stringify(value));
const key = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : literal(k));
/** Pulumi resource names: the slug and a suffix of letters, digits and '-' (account ids carry ':'). */
const resourceName = (...parts: string[]) => parts.map((p) => p.replace(/[^A-Za-z0-9_.-]+/g, "-")).join("-");

type Member = [string, string | undefined];

/** `{ a: 1, b: "x" }` over several lines, skipping undefined members; values are code already. */
function objectCode(members: Member[]): string {
  const lines = members.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${k === v ? k : `${key(k)}: ${v}`},`);
  return `{\n${lines.join("\n")}\n}`;
}

/** The arguments of a resource attached to a repository: the workspace and the repository's ID first. */
const attachedTo = (variable: string, members: Member[]) => objectCode([["workspace", "workspace"], ["repository", `${variable}.id`], ...members]);

/** The settings Bitbucket reports for a repository (or a fork), as arguments: empty texts are left out (unmanaged). */
function settingsMembers(live: RepositoryObject, workspace: string, keys: readonly string[]): Member[] {
  const state = repositoryState(live, workspace) as Record<string, unknown>;
  return keys.map((k) => [k, state[k] === undefined || state[k] === "" ? undefined : literal(state[k])]);
}

const SETTING_KEYS = Object.keys(SETTINGS);

function hookCode(repo: ImportedRepository, variable: string, hook: HookObject, index: number, secrets: SecretKey[]): string {
  const name = resourceName(repo.slug, "webhook", String(index + 1));
  let secret: string | undefined;
  if (hook.secret_set) {
    const configKey = `${name}-secret`;
    secrets.push({ key: configKey, repository: repo.slug, url: hook.url });
    // Bitbucket never returns a secret: the stack config must hold it, or `up` would remove it.
    secret = `config.requireSecret(${literal(configKey)})`;
  }
  const args = attachedTo(variable, [
    ["url", literal(hook.url)],
    ["description", hook.description ? literal(hook.description) : undefined],
    ["active", literal(hook.active ?? true)],
    ["events", literal([...hook.events].sort())],
    ["secret", secret],
  ]);
  return `new bitbucket.Webhook(${literal(name)}, ${args}, keep);`;
}

/** `{ key: "value", ... }` over several lines, each with an optional comment; `{}` when empty. */
function mapCode(entries: [string, string, string?][]): string {
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v, note]) => `    ${key(k)}: ${literal(v)},${note ? ` // ${note}` : ""}`).join("\n")}\n  }`;
}

/** The repository's explicit grants as one authoritative RepositoryAccess (both collections, so a grant added later is drift). */
function accessCode(repo: ImportedRepository, variable: string): string[] {
  if (!repo.groups || !repo.users) return [`// Grants not imported: these credentials cannot read permissions-config (access tokens cannot).`];
  const groups = Object.entries(repo.groups).sort(([a], [b]) => a.localeCompare(b));
  const users = [...repo.users].sort((a, b) => a.accountId.localeCompare(b.accountId));
  if (groups.length === 0 && users.length === 0) return [];
  const args = attachedTo(variable, [
    ["groups", mapCode(groups)],
    ["users", mapCode(users.map((u) => [u.accountId, u.permission, u.displayName]))],
  ]);
  return [`new bitbucket.RepositoryAccess(${literal(resourceName(repo.slug, "access"))}, ${args}, keep);`];
}

function overrideCode(repo: ImportedRepository, variable: string): string[] {
  const { default_merge_strategy: mergeStrategy = false, branching_model: branchingModel = false } = repo.overrides;
  // Inheriting both is Bitbucket's default: nothing to declare.
  if (!mergeStrategy && !branchingModel) return [];
  const args = attachedTo(variable, [
    ["defaultMergeStrategy", literal(mergeStrategy)],
    ["branchingModel", literal(branchingModel)],
  ]);
  return [`new bitbucket.OverrideSettings(${literal(resourceName(repo.slug, "override-settings"))}, ${args}, keep);`];
}

/** The repository (or fork) declaration itself. */
function declarationCode(repo: ImportedRepository, variable: string, workspace: string, variables: Map<string, string>): string {
  const { live } = repo;
  const parent = live.parent;
  if (!parent) {
    const args = objectCode([
      ["workspace", "workspace"],
      ["name", literal(live.name)],
      ["slug", literal(repo.slug)],
      ...settingsMembers(live, workspace, [...SETTING_KEYS, "website"]),
      ["adopt", "true"],
    ]);
    return `const ${variable} = new bitbucket.Repository(${literal(repo.slug)}, ${args}, keep);`;
  }
  const [parentWorkspace, parentSlug] = (parent.full_name ?? "/").split("/");
  const parentVariable = parentWorkspace === workspace ? variables.get(parentSlug) : undefined;
  const args = objectCode([
    ["workspace", parentWorkspace === workspace ? "workspace" : literal(parentWorkspace)],
    // The parent by UUID (or its variable's ID) survives the parent's renames.
    ["repository", parentVariable ? `${parentVariable}.id` : literal(parent.uuid ?? parentSlug)],
    ["targetWorkspace", parentWorkspace === workspace ? undefined : "workspace"],
    ["name", literal(live.name)],
    ...settingsMembers(live, workspace, SETTING_KEYS),
    ["adopt", "true"],
  ]);
  const of = parentVariable ? "" : ` // a fork of ${parent.full_name}`;
  return `const ${variable} = new bitbucket.Fork(${literal(repo.slug)}, ${args}, keep);${of}`;
}

function repositoryBlock(repo: ImportedRepository, workspace: string, variables: Map<string, string>, secrets: SecretKey[]): string {
  const variable = variables.get(repo.slug)!;
  const lines = [
    `// ${repo.live.full_name}${repo.live.links?.html?.href ? ` (${repo.live.links.html.href})` : ""}`,
    declarationCode(repo, variable, workspace, variables),
    ...repo.hooks.map((hook, i) => hookCode(repo, variable, hook, i, secrets)),
    ...accessCode(repo, variable),
    ...overrideCode(repo, variable),
  ];
  return lines.join("\n");
}

/** The program for the imported repositories of one workspace. */
export function renderProgram(repositories: ImportedRepository[], options: ProgramOptions): Program {
  const { workspace } = options;
  const bySlug = new Set(repositories.map((r) => r.slug));
  // A fork comes after its parent when the parent is imported too; other forks need no ordering.
  const isLocalFork = (r: ImportedRepository) => r.live.parent?.full_name?.startsWith(`${workspace}/`) && bySlug.has(r.live.parent.full_name.split("/")[1]);
  const variables = variableNames(repositories.map((r) => r.slug));
  const secrets: SecretKey[] = [];

  const sections: string[] = [];
  const projectOf = (r: ImportedRepository) => r.live.project?.key ?? "";
  const section = (title: string, members: ImportedRepository[]) => {
    if (members.length === 0) return;
    sections.push(
      `// ---- ${title} ${"-".repeat(Math.max(3, 96 - title.length))}\n\n${members.map((r) => repositoryBlock(r, workspace, variables, secrets)).join("\n\n")}`,
    );
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

  const keep = [options.protect ? "protect: true" : "", options.retainOnDelete ? "retainOnDelete: true" : ""].filter(Boolean).join(", ");
  const why = [
    options.retainOnDelete ? "retainOnDelete: removing a resource from this program or `pulumi destroy` leaves the object in Bitbucket" : "",
    options.protect ? "protect: Pulumi refuses to delete these resources until the option is removed" : "",
  ].filter(Boolean);
  const header = [
    `// The repositories of Bitbucket workspace ${workspace}, as written by \`${options.commandLine}\`.`,
    `// Every resource takes over the object that exists: repositories and forks by slug (adopt: true);`,
    `// webhooks, grants (RepositoryAccess: all of a repository's) and override settings by what they are.`,
    `// Taking over writes only what differs from this program.`,
    `// Settings Bitbucket reported empty are left out (not managed): add them to manage them.`,
    `// Webhooks that have a secret read it from the stack config (Bitbucket never returns secrets): see README.md.`,
    `import * as pulumi from "@pulumi/pulumi";`,
    `import * as bitbucket from "pulumi-bitbucket-cloud";`,
    ``,
    `const config = new pulumi.Config();`,
    `const workspace = ${literal(workspace)};`,
    ...why.map((line) => `// ${line}.`),
    `const keep: pulumi.CustomResourceOptions = { ${keep} };`,
  ].join("\n");

  const hooks = repositories.reduce((n, r) => n + r.hooks.length, 0);
  const grants = repositories.reduce((n, r) => n + Object.keys(r.groups ?? {}).length + (r.users?.length ?? 0), 0);
  const overrideSettings = repositories.filter((r) => r.overrides.default_merge_strategy || r.overrides.branching_model).length;
  const forks = repositories.filter((r) => r.live.parent).length;
  return {
    text: `${header}\n\n${sections.join("\n\n")}\n`,
    secrets,
    counts: { repositories: repositories.length - forks, forks, webhooks: hooks, grants, overrideSettings },
  };
}
