// pulumi-bitbucket-cloud: Bitbucket Cloud repositories and their access as Pulumi resources.
export * from "./registry";
export { WEBHOOK_EVENTS } from "./resources/webhookEvents";
export { BitbucketApiError, BitbucketNetworkError } from "./client";
export * from "./functions";
