// /repositories/{workspace}/{repo_slug}/pipelines_config/ssh/key_pair and …/ssh/known_hosts[/{known_host_uuid}].
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import { repoUrl } from "../repositories/render";
import type { PipelinesSsh } from "./backend";
import { renderKeyPair, renderKnownHost } from "./render";

const KEY_PAIR = "/repositories/{workspace}/{repo_slug}/pipelines_config/ssh/key_pair";
const KNOWN_HOSTS = "/repositories/{workspace}/{repo_slug}/pipelines_config/ssh/known_hosts";
const KNOWN_HOST = `${KNOWN_HOSTS}/{known_host_uuid}`;

export const pipelinesSshRoutes: Route<PipelinesSsh>[] = [
  { method: "GET", template: KEY_PAIR, handler: (ctx, ssh) => ok(renderKeyPair(ctx, ssh.keyPair(ctx.caller, repoRef(ctx)))) },
  { method: "PUT", template: KEY_PAIR, handler: (ctx, ssh) => ok(renderKeyPair(ctx, ssh.setKeyPair(ctx.caller, repoRef(ctx), bodyObject(ctx)))) },
  {
    method: "DELETE",
    template: KEY_PAIR,
    handler: (ctx, ssh) => {
      ssh.deleteKeyPair(ctx.caller, repoRef(ctx));
      return noContent();
    },
  },
  {
    method: "GET",
    template: KNOWN_HOSTS,
    handler: (ctx, ssh) =>
      paginate(
        ctx,
        ssh.knownHosts(ctx.caller, repoRef(ctx)).map((h) => renderKnownHost(ctx, h)),
        { query: false },
      ),
  },
  {
    method: "POST",
    template: KNOWN_HOSTS,
    handler: (ctx, ssh) => {
      const { repo, host } = ssh.addKnownHost(ctx.caller, repoRef(ctx), bodyObject(ctx));
      const Location = `${repoUrl(ctx, repo)}/pipelines_config/ssh/known_hosts/${encodeURIComponent(host.uuid)}`;
      return created(renderKnownHost(ctx, host), { Location });
    },
  },
  { method: "GET", template: KNOWN_HOST, handler: (ctx, ssh) => ok(renderKnownHost(ctx, ssh.knownHost(ctx.caller, repoRef(ctx), ctx.params.known_host_uuid))) },
  {
    method: "PUT",
    template: KNOWN_HOST,
    handler: (ctx, ssh) => ok(renderKnownHost(ctx, ssh.updateKnownHost(ctx.caller, repoRef(ctx), ctx.params.known_host_uuid, bodyObject(ctx)))),
  },
  {
    method: "DELETE",
    template: KNOWN_HOST,
    handler: (ctx, ssh) => {
      ssh.deleteKnownHost(ctx.caller, repoRef(ctx), ctx.params.known_host_uuid);
      return noContent();
    },
  },
];
