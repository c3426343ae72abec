// Endpoints Atlassian removed (CHANGE-2770, 410 Gone since spring 2026): the cross-workspace listings.
// The router answers them 410 whoever asks, naming what serves instead.
import type { RemovedEndpoint } from "../../operation";

export const REMOVED_ENDPOINTS: readonly RemovedEndpoint[] = [
  { method: "GET", template: "/repositories", instead: "GET /2.0/repositories/{workspace} for each workspace of GET /2.0/user/workspaces" },
  { method: "GET", template: "/workspaces", instead: "GET /2.0/user/workspaces" },
  {
    method: "GET",
    template: "/user/permissions/repositories",
    instead: "GET /2.0/user/workspaces/{workspace}/permissions/repositories for each workspace of GET /2.0/user/workspaces",
  },
];
