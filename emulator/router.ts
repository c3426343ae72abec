// Finds the route for a request by the spec's path templates. HEAD is answered by the GET route (the
// server sends no body); a path that exists for other methods answers 405 with an Allow header; an
// endpoint Atlassian removed is "gone".
import FindMyWay from "find-my-way";
import type { Method, RemovedEndpoint } from "./operation";
import type { BoundRoute } from "./route";

export const OAUTH_PATH = "/site/oauth2/access_token";

export type Resolution =
  | { kind: "route"; route: BoundRoute; params: Record<string, string>; template: string }
  | { kind: "oauth"; template: string }
  | { kind: "gone"; removed: RemovedEndpoint; template: string }
  | { kind: "methodNotAllowed"; allow: string[]; template: string }
  | { kind: "notFound"; template: null };

const METHODS: Method[] = ["GET", "POST", "PUT", "DELETE"];

export function createRouter(routes: readonly BoundRoute[], removedEndpoints: readonly RemovedEndpoint[]): (method: string, pathname: string) => Resolution {
  const router = FindMyWay();
  for (const route of routes) {
    // `{path}` may span several segments: a wildcard; other `{param}`s are one segment.
    const path = "/2.0" + route.template.replace("{path}", "*").replace(/\{(\w+)\}/g, ":$1");
    router.on(route.method, path, () => undefined, route);
  }
  const find = (method: Method, pathname: string) => router.find(method, pathname);

  return (method, pathname) => {
    if (pathname === OAUTH_PATH)
      return method === "POST" ? { kind: "oauth", template: OAUTH_PATH } : { kind: "methodNotAllowed", allow: ["POST"], template: OAUTH_PATH };
    const asMethod = (method === "HEAD" ? "GET" : method) as Method;
    const removed = removedEndpoints.find((r) => r.method === asMethod && `/2.0${r.template}` === pathname);
    if (removed) return { kind: "gone", removed, template: removed.template };
    const match = METHODS.includes(asMethod) ? find(asMethod, pathname) : null;
    if (match) {
      const route = match.store as BoundRoute;
      const params = { ...(match.params as Record<string, string>) };
      // find-my-way names the wildcard `*`; the spec calls that segment `{path}`.
      if ("*" in params) params.path = params["*"];
      return { kind: "route", route, params, template: route.template };
    }
    const others = METHODS.map((m) => find(m, pathname)).filter((m) => m !== null);
    if (!others.length) return { kind: "notFound", template: null };
    const allow: string[] = others.map((m) => (m.store as BoundRoute).method);
    if (allow.includes("GET")) allow.splice(allow.indexOf("GET") + 1, 0, "HEAD");
    return { kind: "methodNotAllowed", allow, template: (others[0].store as BoundRoute).template };
  };
}
