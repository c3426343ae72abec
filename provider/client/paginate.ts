// Pagination: request pagelen=100 and follow the opaque `next` link until it is absent.
import { ApiResponse, RequestSpec, Send } from "./http";

export interface Page<T> {
  values?: T[];
  next?: string;
  size?: number;
}

export const PAGELEN = 100;

export async function paginate<T>(send: Send, apiUrl: string, spec: RequestSpec): Promise<T[]> {
  const origin = new URL(apiUrl).origin;
  const out: T[] = [];
  let next: RequestSpec | undefined = { ...spec, query: { pagelen: PAGELEN, ...spec.query } };
  while (next) {
    const res: ApiResponse<Page<T>> = await send<Page<T>>(next);
    const body = res.body;
    out.push(...(body?.values ?? []));
    if (!body?.next) break;
    // Credentials go only to the API's own origin.
    if (new URL(body.next).origin !== origin) throw new Error(`Refusing to follow a pagination link outside ${origin}: ${new URL(body.next).origin}`);
    next = { ...spec, url: body.next };
  }
  return out;
}
