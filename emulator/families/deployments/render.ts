// Deployment environments as the API renders them: the spec's deployment_environment (uuid, name)
// with what Bitbucket adds (slug, rank, environment_type, restrictions, category, hidden).
import type { Environment } from "./model";
import { ENVIRONMENT_TYPES } from "./model";

export function renderEnvironment(e: Environment): Record<string, unknown> {
  return {
    type: "deployment_environment",
    uuid: e.uuid,
    name: e.name,
    slug: e.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    rank: e.rank,
    environment_type: { type: "deployment_environment_type", name: e.environmentType, rank: ENVIRONMENT_TYPES.indexOf(e.environmentType) },
    restrictions: { type: "deployment_restrictions_configuration", admin_only: e.adminOnly },
    category: { name: e.environmentType },
    hidden: false,
  };
}
