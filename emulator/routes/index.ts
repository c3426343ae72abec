// Every implemented operation, one file per resource family.
import { contentRoutes } from "./content";
import { forkRoutes } from "./forks";
import { hookRoutes } from "./hooks";
import { permissionRoutes } from "./permissions";
import { projectRoutes } from "./projects";
import { repositoryRoutes } from "./repositories";
import type { Route } from "./route";
import { settingsRoutes } from "./settings";
import { workspaceRoutes } from "./workspaces";

export const ROUTES: Route[] = [
  ...repositoryRoutes,
  ...forkRoutes,
  ...hookRoutes,
  ...permissionRoutes,
  ...settingsRoutes,
  ...contentRoutes,
  ...workspaceRoutes,
  ...projectRoutes,
];
