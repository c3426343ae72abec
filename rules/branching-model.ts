// Branching models as Bitbucket takes them: the four branch kinds, their defaults, and what a branch
// name or a branch type's prefix may be (git's ref-name rules, `git check-ref-format`). The provider's
// check and the emulator both follow it.

export const BRANCH_KINDS = ["feature", "bugfix", "release", "hotfix"] as const;
export type BranchKind = (typeof BRANCH_KINDS)[number];

/** A new repository's or project's branch types: all four enabled, each prefixed `<kind>/`. */
export const DEFAULT_PREFIXES: Readonly<Record<BranchKind, string>> = { feature: "feature/", bugfix: "bugfix/", release: "release/", hotfix: "hotfix/" };

// Characters git refuses anywhere in a ref name: controls, space, ~ ^ : ? * [ \ and DEL.
// eslint-disable-next-line no-control-regex -- git refuses control characters in ref names
const FORBIDDEN = /[\u0000-\u0020~^:?*[\\\u007f]/;

/** Why `prefix` cannot be a branch type's prefix, or undefined when it can (a prefix may end with `/`). */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix.trim() === "") return "must not be empty";
  if (FORBIDDEN.test(prefix)) return "must not contain spaces, control characters or any of ~ ^ : ? * [ \\";
  if (prefix.includes("..") || prefix.includes("//") || prefix.includes("@{")) return "must not contain two dots in a row, '//' or '@{'";
  if (/^[/.-]/.test(prefix) || prefix.includes("/.")) return "must not start with '/', '.' or '-', nor have a component starting with '.'";
  return undefined;
}

/** Why `name` cannot be a branch name, or undefined when it can. */
export function branchNameProblem(name: string): string | undefined {
  const problem = prefixProblem(name);
  if (problem) return problem;
  if (/[/.]$/.test(name) || name.endsWith(".lock") || name === "@") return "must not end with '/', '.' or '.lock'";
  return undefined;
}

/** Two enabled prefixes where one begins the other (a branch would be classified twice), or undefined. */
export function overlappingPrefixes(prefixes: readonly { kind: string; prefix: string }[]): [string, string] | undefined {
  for (const a of prefixes) for (const b of prefixes) if (a !== b && b.prefix.startsWith(a.prefix)) return [a.kind, b.kind];
  return undefined;
}
