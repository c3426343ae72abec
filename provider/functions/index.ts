// The read functions, in Pulumi's two forms (getX → Promise, getXOutput → Output).
export * from "./repositories";
export * from "./refs";
export * from "./pullRequests";
export * from "./source";
export * from "./workspace";
export * from "./branching";
export * from "./pipelines";
export * from "./schedules";
export * from "./webhookTypes";
export * from "./identity";
export type { Account, Commit, InputArgs, ListArgs, ReadOptions, RepositoryRef, RepositoryInfo } from "./common";
export { createClient } from "../client";
export type { Client, ClientOptions } from "../client";
export { resolveSettings } from "../config";
