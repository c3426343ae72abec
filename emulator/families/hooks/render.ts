// Webhooks as the API renders them: the secret is never shown.
import { workspaceOf } from "../../access";
import { api, link, View } from "../../view";
import type { Repository } from "../repositories/model";
import { renderRepository, repoPath } from "../repositories/render";
import type { Hook } from "./model";

export function renderHook(view: View, repo: Repository, h: Hook): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  return renderSubscription(view, h, "repository", renderRepository(view, repo, true), `${repoPath(ws, repo)}/hooks`);
}

/** A webhook on its subject (a repository or a workspace), listed under `hooksPath`. */
export function renderSubscription(view: View, h: Hook, subjectType: string, subject: Record<string, unknown>, hooksPath: string): Record<string, unknown> {
  return {
    type: "webhook_subscription",
    uuid: h.uuid,
    url: h.url,
    description: h.description,
    subject_type: subjectType,
    subject,
    active: h.active,
    created_at: h.created_at,
    events: h.events,
    // The secret is write-only: responses only say whether one is set.
    secret_set: h.secret !== null,
    links: { self: link(api(view, `${hooksPath}/${encodeURIComponent(h.uuid)}`)) },
  };
}
