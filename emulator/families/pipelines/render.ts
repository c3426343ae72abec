// A repository's Pipelines configuration as the API renders it.
import type { View } from "../../view";
import type { Repository } from "../repositories/model";
import { renderRepository } from "../repositories/render";

export function renderPipelinesConfig(view: View, repo: Repository): Record<string, unknown> {
  return { type: "repository_pipelines_configuration", enabled: repo.pipelinesEnabled ?? false, repository: renderRepository(view, repo, true) };
}
