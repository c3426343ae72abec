// Shared setup for the read-function suites: one emulator per file and a client of the acme owner
// injected into every call (the credentials-from-config path has its own tests).
import { CREDENTIALS, startEmulator } from "../../../emulator";
import { Client, createClient } from "../../../provider/client";
import type { Credentials } from "../../../provider/client/auth";
import { clearCounters, Emulator, FAST, requests } from "../helpers";

export const OWNER: Credentials = { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password };

export interface Setup {
  emu: Emulator;
  /** The acme owner's client: pass as `{ client }`. */
  client: Client;
  clientAs(credentials: Credentials): Client;
}

/** Starts an emulator before the file's tests and stops it after; returns a lazily filled setup. */
export function withEmulator(): Setup {
  const setup = {} as Setup;
  beforeAll(async () => {
    setup.emu = await startEmulator({ port: 0, quiet: true });
    setup.clientAs = (credentials) => createClient({ apiUrl: setup.emu.apiUrl, credentials }, { retry: FAST.retry });
    setup.client = setup.clientAs(OWNER);
  });
  afterAll(() => setup.emu.stop());
  return setup;
}

/** Runs `read` and returns its result with the API requests it made (method, path with query). */
export async function withRequests<T>(emu: Emulator, read: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  await clearCounters(emu);
  const result = await read();
  const sent = (await requests(emu)).map((r) => `${r.method} ${readable(r.path)}`);
  return { result, sent };
}

/** The path with a %2F inside a segment still visible, and the query decoded. */
function readable(pathAndQuery: string): string {
  const [path, query] = pathAndQuery.split("?");
  const decodedQuery = query === undefined ? "" : `?${[...new URLSearchParams(query)].map(([k, v]) => `${k}=${v}`).join("&")}`;
  return decodeURI(path) + decodedQuery;
}
