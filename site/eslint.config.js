// ESLint for the widget (`npm run lint`): the recommended rules plus the few that catch real bugs
// in this code: unused names, implicit globals, loose equality, and promises nobody awaits or
// catches (typed linting from tsconfig.json, so a fire-and-forget ChatJS call is visible).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default [
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.browser,
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-unused-vars": [
        "error",
        { args: "after-used", argsIgnorePattern: "^_", caughtErrors: "all" },
      ],
      "no-implicit-globals": "error",
      eqeqeq: ["error", "always"],
      "no-undef": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
    },
  },
  {
    // Vitest runs the tests in Node with jsdom; the build configs are Node scripts.
    files: ["test/**/*.js", "*.config.js"],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
];
