// Workspace webhooks and webhook event types as the API renders them: the secret is never shown.
import { api, View } from "../../view";
import { renderSubscription } from "../hooks/render";
import type { Hook } from "../hooks/model";
import { renderWorkspace } from "../workspaces/render";
import type { Workspace } from "../workspaces/model";

export function renderWorkspaceHook(view: View, ws: Workspace, h: Hook): Record<string, unknown> {
  return renderSubscription(view, h, "workspace", renderWorkspace(view, ws), `/workspaces/${ws.slug}/hooks`);
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
