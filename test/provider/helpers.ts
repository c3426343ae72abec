// Shared setup for the provider suites: one emulator per file, the runtime configured against it
// with fast retry timings, and a few admin/owner helpers for drift and request counting.
import { startEmulator } from "../../emulator";
import { authorizationHeader, CREDENTIALS } from "../../emulator/seed";
import { configure, providerFor, RuntimeOptions, setOptions } from "../../provider/runtime";
import type { ResourceKind } from "../../provider/registry";

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export const FAST: RuntimeOptions = {
  retry: { attempts: 4, startingDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 5_000 },
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

export async function admin(emu: Emulator, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

export const clearCounters = (emu: Emulator) => admin(emu, "DELETE", "/requests");
export const counters = (emu: Emulator): Promise<{ total: number; byRoute: Record<string, number> }> => admin(emu, "GET", "/counters");
export const requests = (emu: Emulator): Promise<{ method: string; path: string; route: string | null; status: number; fault?: string }[]> =>
  admin(emu, "GET", "/requests");
export const script = (emu: Emulator, faults: unknown[]) => admin(emu, "PUT", "/config", { script: faults });

/** A request as the workspace owner, outside the provider (to make drift). */
export async function asOwner(emu: Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method,
    headers: { authorization: authorizationHeader(CREDENTIALS.owner), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const enc = encodeURIComponent;

/** Reads once and returns the API calls it cost, from the emulator's counters. */
export async function refreshCost(emu: Emulator, kind: ResourceKind, id: string, state: Record<string, unknown>) {
  await clearCounters(emu);
  const read = await provider(kind).read(id, state);
  const c = await counters(emu);
  return { read, calls: c.total, byRoute: c.byRoute };
}
