// The program `import` writes, from crafted answers (no emulator): data from Bitbucket never runs as
// code, every generated variable name compiles, and hostile strings in every field that comes from
// Bitbucket give a program that type-checks, runs nothing else, and passes each value on exactly.
import type { RepositoryObject } from "../../provider/client/api";
import { renderProgram, type ProgramOptions } from "../../provider/import/program";
import type { ImportedRepository } from "../../provider/import/workspace";
import { idOf, runProgram, typeErrors } from "../support/generated-program";

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
        repository("web", {}, {
          users: [
            {
              accountId: "712020:alice",
              permission: "write",
              displayName: `Alice${t}}}, keep); canary(); new bitbucket.RepositoryAccess("x", { workspace, repository: "r", users: { //`,
            },
          ],
        }),
      ],
    }),
  ],
  ["a repository's full name", (t) => ({ repositories: [repository("web", { full_name: `acme/web${t}canary(); //` })] })],
  ["a repository's web address", (t) => ({ repositories: [repository("web", { links: { html: { href: `https://bitbucket.org/acme/web${t}canary(); //` } } })] })],
  ["a project key (in the section's title)", (t) => ({ repositories: [repository("web", { project: { key: `WEB${t}canary(); //` } })] })],
  [
    "the parent of a fork from another workspace",
    (t) => ({ repositories: [repository("web-fork", { parent: { full_name: `globex/web${t}canary(); //`, uuid: "{00000000-0000-4000-8000-00000000beef}" } })] }),
  ],
  ["a --match pattern in the recorded command line", (t) => ({ repositories: [repository("web")], options: { commandLine: `pulumi-bitbucket-cloud import --match 'a${t}canary(); //'` } })],
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
      input.repositories.flatMap((r) => [
        `${r.live.parent ? "Fork" : "Repository"} ${r.slug}`,
        ...(r.users!.length ? [`RepositoryAccess ${r.slug}-access`] : []),
      ]).sort(),
    );
    // Every character outside printable ASCII is escaped: nothing can end a line early.
    expect(program.text).toMatch(/^[\x20-\x7e\n]*$/);
  });

  test("values keep every line terminator exactly (a project key, a name, a description)", () => {
    for (const [, t] of TERMINATORS) {
      const key = `WEB${t}canary(); //`;
      const repo = repository("web", { project: { key }, name: `Web${t}site`, description: `a${t}b` });
      const [resource] = runProgram(renderProgram([repo], OPTIONS).text).resources;
      expect(resource.args).toMatchObject({ projectKey: key, name: `Web${t}site`, description: `a${t}b` });
    }
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

  test("a fork refers to its parent through the parent's variable, whatever the parent's slug", () => {
    const parent = repository("eval");
    const fork = repository("arguments", { parent: { full_name: "acme/eval", uuid: parent.live.uuid } });
    const program = renderProgram([parent, fork], OPTIONS);
    expect(typeErrors([program.text])).toEqual([[]]);
    const forkArgs = runProgram(program.text).resources.find((r) => r.kind === "Fork")!.args;
    expect(forkArgs.repository).toEqual(idOf("Repository", "eval"));
  });
});
