// Who may use a permissions-config endpoint, the same on repositories and projects: only a user with
// admin rights there; a workspace access token never; nobody without credentials.
import { CREDENTIALS, USERS } from "../../emulator/seed";
import type { SeededEmulator } from "./suite";

/** Every row has three cells (method, path, body): with fewer, jest would pass its `done` callback as the body. */
export type Operation = [string, string, unknown];

type SeedUser = (typeof USERS)[keyof typeof USERS];

/**
 * The eight operations under `base` (`…/permissions-config`): on the seeded group grant of developers, on
 * contractors (no grant), on the seeded user grant of `granted` and on `other`.
 */
export function permissionsConfigOps(base: string, granted: SeedUser, other: SeedUser): Operation[] {
  const [groups, users] = [`${base}/groups`, `${base}/users`];
  return [
    ["GET", groups, undefined],
    ["GET", `${groups}/developers`, undefined],
    ["PUT", `${groups}/contractors`, { permission: "read" }],
    ["DELETE", `${groups}/developers`, undefined],
    ["GET", users, undefined],
    ["GET", `${users}/${granted.account_id}`, undefined],
    ["PUT", `${users}/${other.account_id}`, { permission: "read" }],
    ["DELETE", `${users}/${granted.account_id}`, undefined],
  ];
}

export function testAdminOnly(ctx: SeededEmulator, ops: Operation[]): void {
  test.each(ops)("%s %s: 403 for a member without admin rights", async (method, path, body) => {
    expect((await ctx.call(method, path, body, CREDENTIALS.alice)).status).toBe(403);
  });

  test.each(ops)("%s %s: 403 for a workspace access token, even of the same workspace", async (method, path, body) => {
    const res = await ctx.call(method, path, body, CREDENTIALS.acmeAccessToken);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/Access tokens/);
  });

  test.each(ops)("%s %s: without credentials, a write is 401 and a read 403 (anonymous reads see public objects only)", async (method, path, body) => {
    expect((await ctx.call(method, path, body, null)).status).toBe(method === "GET" ? 403 : 401);
  });
}
