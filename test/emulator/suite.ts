// The setup every emulator suite shares: one emulator for the file, back to the seed before each test,
// and a `call` that checks each response against the official spec before the test looks at it.
import { EmulatorHandle, startEmulator } from "../../emulator";
import { USERS } from "../../emulator/seed";
import { Auth, Client } from "../support/emulator-client";
import { expectConforms, reportConformance } from "./spec-conformance";

export interface SeededEmulator {
  emu: EmulatorHandle;
  api: Client;
  call(method: string, path: string, body?: unknown, auth?: Auth): ReturnType<Client["request"]>;
}

export function useSeededEmulator(suite: string): SeededEmulator {
  const ctx = {
    async call(method: string, path: string, body?: unknown, auth?: Auth) {
      const res = await ctx.api.request(method, path, { body, auth });
      expectConforms(res);
      return res;
    },
  } as SeededEmulator;
  beforeAll(async () => {
    ctx.emu = await startEmulator({ quiet: true });
    ctx.api = new Client(ctx.emu.apiUrl);
  });
  beforeEach(() => ctx.emu.reset());
  afterAll(async () => {
    await ctx.emu.stop();
    reportConformance(suite);
  });
  return ctx;
}

/** A value of each path parameter of the router's routes that addresses something in the seed, so a test can vary one parameter alone. */
export const SEEDED_PATH_PARAMS: Record<string, string> = {
  workspace: "acme",
  repo_slug: "platform-api",
  project_key: "PLAT",
  group_slug: "developers",
  selected_user_id: USERS.alice.account_id,
  target_username: USERS.alice.account_id,
  member: USERS.alice.account_id,
  selected_user: USERS.alice.account_id,
  uid: "{5eed9999-0000-4000-8000-000000000000}",
  key_id: "1",
  revision: "main",
  commit: "main",
  path: "README.md",
  reportId: "drift-report",
  annotationId: "drift-001",
  id: "1",
};
