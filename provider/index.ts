// pulumi-bitbucket-cloud: Bitbucket Cloud repositories and their access as Pulumi resources.
export { Repository } from "./resources/repository";
export type { RepositoryArgs } from "./resources/repository";
export { Fork } from "./resources/fork";
export type { ForkArgs } from "./resources/fork";
export { Webhook } from "./resources/webhook";
export type { WebhookArgs, WebhookEvent } from "./resources/webhook";
export { GroupPermission } from "./resources/groupPermission";
export type { GroupPermissionArgs } from "./resources/groupPermission";
export { UserPermission } from "./resources/userPermission";
export type { UserPermissionArgs } from "./resources/userPermission";
export { OverrideSettings } from "./resources/overrideSettings";
export type { OverrideSettingsArgs } from "./resources/overrideSettings";
export { WEBHOOK_EVENTS } from "./resources/webhookEvents";
export { BitbucketApiError, BitbucketNetworkError } from "./client";
