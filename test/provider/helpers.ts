// Shared setup for the provider suites: one emulator per file, the runtime configured against it
// with fast retry timings, and a few admin/owner helpers for drift and request counting.
import { startEmulator } from "../../emulator";
import { CREDENTIALS, WORKSPACES } from "../../emulator/seed";
import {
  admin as emulatorAdmin,
  clearRequests,
  Client,
  counters as emulatorCounters,
  requests as emulatorRequests,
  setConfig,
} from "../support/emulator-client";
import { configure, providerFor, RuntimeOptions, setOptions, startNewRun } from "../../provider/runtime";
import type { ResourceKind } from "../../provider/registry";

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export const FAST: RuntimeOptions = {
  retry: { attempts: 4, startingDelayMs: 5, maxDelayMs: 50, rateLimitWaitMs: 5_000 },
  forkPollMs: 20,
  forkReadyTimeoutMs: 5_000,
};

export const ownerConfig = (emu: Emulator) => ({
  "bitbucket:apiUrl": emu.apiUrl,
  "bitbucket:email": CREDENTIALS.owner.username,
  "bitbucket:apiToken": CREDENTIALS.owner.password,
});

export async function startWithProvider(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const emu = await startEmulator({ port: 0, quiet: true, ...options });
  useOwner(emu);
  return emu;
}

/** Points the runtime at the emulator with the owner's credentials (like `pulumi config set`). */
export function useOwner(emu: Emulator, options: RuntimeOptions = FAST): void {
  setOptions(options);
  configure(ownerConfig(emu));
}

export const provider = (kind: ResourceKind) => providerFor(kind);

/** Runs check and fails the test on validation failures; returns the normalized inputs. */
export async function checked(kind: ResourceKind, news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const result = await provider(kind).check(olds, news);
  if (result.failures?.length) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
  return result.inputs as Record<string, unknown>;
}

/** What `pulumi up` does for a new resource: check, then create. */
export async function create(kind: ResourceKind, args: Record<string, unknown>) {
  const inputs = await checked(kind, args);
  const { id, outs } = await provider(kind).create(inputs);
  return { id, outs: outs as Record<string, unknown>, inputs };
}

/** What `pulumi refresh` then `pulumi preview` do: read, then diff against the program's inputs. */
export async function refreshAndDiff(kind: ResourceKind, id: string, state: Record<string, unknown>, program: Record<string, unknown>) {
  const read = await provider(kind).read(id, state);
  const inputs = await checked(kind, program);
  const diff = read.id ? await provider(kind).diff(read.id, read.props, inputs) : undefined;
  return { read, diff };
}

/**
 * A test file's emulator, the runtime pointed at it as the owner, and one repository of acme created through the
 * provider before the file's tests (the emulator stops after them). `earlierRun`: the repository is one of an
 * earlier run, so creates on it look for what is there (create-cost.test.ts covers this run's).
 */
export function emulatorWithRepository(name: string, { earlierRun = false } = {}) {
  const env = {} as { emu: Emulator; repoId: string; repoState: Record<string, unknown> };
  beforeAll(async () => {
    env.emu = await startWithProvider();
    ({ id: env.repoId, outs: env.repoState } = await create("Repository", { workspace: WORKSPACES.acme.slug, name }));
    if (earlierRun) startNewRun();
  });
  afterAll(() => env.emu?.stop());
  return env;
}

export const admin = (emu: Emulator, method: string, path: string, body?: unknown) => emulatorAdmin(emu.url, method, path, body);
export const clearCounters = (emu: Emulator) => clearRequests(emu.url);
export const counters = (emu: Emulator) => emulatorCounters(emu.url);
export const requests = (emu: Emulator) => emulatorRequests(emu.url);
export const script = (emu: Emulator, faults: unknown[]) => setConfig(emu.url, { script: faults });

/** A request as the workspace owner, outside the provider (to make drift). */
export async function asOwner(emu: Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await new Client(emu.apiUrl).request(method, path, { body });
  return { status: res.status, body: res.body };
}

export const enc = encodeURIComponent;

/** Reads once and returns the API calls it cost, from the emulator's counters. */
export async function refreshCost(emu: Emulator, kind: ResourceKind, id: string, state: Record<string, unknown>) {
  await clearCounters(emu);
  const read = await provider(kind).read(id, state);
  const c = await counters(emu);
  return { read, calls: c.total, byRoute: c.byRoute };
}
