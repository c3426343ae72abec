// Workspace webhooks and webhook event types as the API renders them: the secret is never shown.
import { api, link, View } from "../../view";
import type { Hook } from "../hooks/model";
import { renderWorkspace } from "../workspaces/render";
import type { Workspace } from "../workspaces/model";

export function renderWorkspaceHook(view: View, ws: Workspace, h: Hook): Record<string, unknown> {
  return {
    type: "webhook_subscription",
    uuid: h.uuid,
    url: h.url,
    description: h.description,
    subject_type: "workspace",
    subject: renderWorkspace(view, ws),
    active: h.active,
    created_at: h.created_at,
    events: h.events,
    secret_set: h.secret !== null,
    links: { self: link(api(view, `/workspaces/${ws.slug}/hooks/${encodeURIComponent(h.uuid)}`)) },
  };
}

const CATEGORIES: Record<string, string> = { repo: "Repository", pullrequest: "Pull Request", issue: "Issue", pipeline: "Pipeline", project: "Project" };

/** `repo:commit_status_created` -> category Repository, label "Commit status created". */
export function renderHookEvent(event: string): Record<string, unknown> {
  const [subject = "", action = ""] = event.split(":");
  const words = action.replace(/_/g, " ");
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return { event, category: CATEGORIES[subject] ?? subject, label, description: `${CATEGORIES[subject] ?? subject}: ${words}` };
}

export function renderSubjectTypes(view: View, subjects: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(subjects.map((s) => [s, { events: { href: api(view, `/hook_events/${s}`) } }]));
}
