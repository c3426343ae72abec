// The slug rules are shared with the provider: they live in rules/slug.ts.
export * from "../rules/slug";
