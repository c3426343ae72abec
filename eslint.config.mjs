// typescript-eslint's recommended rules, with the few this codebase departs from on purpose.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "scripts/pulumi-cli/**", "scripts/language-host/**", "**/*.js", "**/*.mjs"] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // The serialized shims must call require() at run time (see provider/shim.ts).
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Tests and benchmarks read JSON answers of many shapes.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
