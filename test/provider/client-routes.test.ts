// Every endpoint the client can call (its typed functions in client/endpoints/, the only place that
// names routes, as client/api.ts and client/reads.ts assemble them) is one Bitbucket still serves:
// none of the cross-workspace listings Atlassian removed (CHANGE-2770), and each an operation of the
// spec. The routes are collected by calling every function with a `send` that records what it is asked to send.
import { REMOVED_ENDPOINTS } from "../../emulator";
import { loadSpec } from "../../emulator/spec";
import { createApi } from "../../provider/client/api";
import type { RequestSpec, Send } from "../../provider/client/http";
import { createReads } from "../../provider/client/reads";

const API_URL = "https://api.bitbucket.org/2.0";

/** Options of every list and read, so that each branch (a revision, a path, a limit…) is taken once. */
const OPTIONS = { revision: "main", path: "docs", limit: 1, q: 'name = "x"', sort: "name", role: "member", states: ["OPEN"], maxDepth: 2 };
/** Argument lists that reach every route: strings in each position, and options after 1 to 4 strings. */
const ARGUMENTS: unknown[][] = [
  ["acme", "repo", "main", "docs/guide.md", "read"],
  ["acme", "repo", "main", "", OPTIONS],
  ...[1, 2, 3, 4].map((n) => [...["acme", "repo", "main", "docs"].slice(0, n), OPTIONS]),
];

async function callableRoutes(): Promise<Set<string>> {
  const seen = new Set<string>();
  const send: Send = async <T>(spec: RequestSpec) => {
    // A list's first page carries its URL too (pagination builds it to judge the next links): the route names it.
    seen.add(`${spec.method} ${spec.route}`);
    return { status: 200, headers: new Headers(), body: { values: [], size: 0 } as T };
  };
  const unused = () => Promise.reject(new Error("not called here"));
  const visit = async (value: unknown, depth: number): Promise<void> => {
    if (typeof value === "function") {
      for (const args of ARGUMENTS) await Promise.resolve(value(...args)).catch(() => undefined);
    } else if (value && typeof value === "object" && depth < 3) {
      for (const member of Object.values(value)) await visit(member, depth + 1);
    }
  };
  await visit(createApi(send, API_URL, unused as never), 0);
  await visit(createReads(send, API_URL), 0);
  return seen;
}

let routes: Set<string>;
beforeAll(async () => {
  routes = await callableRoutes();
});

test("the endpoint table is collected: the client's routes, with each branch of the reads", () => {
  for (const known of [
    "GET /repositories/{workspace}",
    "POST /repositories/{workspace}/{repo_slug}",
    "GET /repositories/{workspace}/{repo_slug}/commits/{revision}",
    "GET /repositories/{workspace}/{repo_slug}/commits",
    "GET /repositories/{workspace}/{repo_slug}/src/{commit}/{path}",
    "PUT /workspaces/{workspace}/projects/{project_key}/permissions-config/users/{selected_user_id}",
    "POST /workspaces/{workspace}/projects",
    "PUT /workspaces/{workspace}/projects/{project_key}",
    "DELETE /workspaces/{workspace}/projects/{project_key}",
    "GET /user",
  ])
    expect([...routes]).toContain(known);
  expect(routes.size).toBeGreaterThan(30);
});

test("the client calls none of the endpoints Atlassian removed (CHANGE-2770)", () => {
  const removed = REMOVED_ENDPOINTS.map((r) => `${r.method} ${r.template}`);
  expect(removed).toEqual(["GET /repositories", "GET /workspaces", "GET /user/permissions/repositories"]);
  expect([...routes].filter((r) => removed.includes(r))).toEqual([]);
});

test("every route the client calls is an operation of the spec", () => {
  const paths = loadSpec().paths;
  // A directory listing at the root is `src/{commit}/` with an empty `{path}`.
  const operation = (method: string, route: string) => (paths[route] ?? paths[`${route}{path}`])?.[method.toLowerCase()];
  expect([...routes].filter((r) => !operation(...(r.split(" ") as [string, string])))).toEqual([]);
});
