export { REMOVED_ENDPOINTS, startEmulator } from "./server";
export type { EmulatorHandle, EmulatorOptions, RequestLogEntry } from "./server";
export type { EmulatorConfig, ScriptedFault, RateLimit } from "./faults";
export * from "./seed";
export { slugify, isValidSlug, MAX_SLUG_LENGTH } from "./slug";
export { isInternalWebhookHost } from "./internalAddress";
