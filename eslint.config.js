import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "tests/output/**", "tests/fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Build and test scripts run in Node.
    files: ["scripts/**", "bin/**", "**/*.cjs", "**/*.mjs", "tests/**"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The engine and the store interface are pure: no browser APIs, no DOM, no Node.
    files: ["src/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "webextension-polyfill",
            "node:*",
            "fs",
            "path",
            "preact",
            "../store/*",
            "../background/*",
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        "window",
        "document",
        "chrome",
        "browser",
        "indexedDB",
        "localStorage",
      ],
    },
  },
  {
    // The content script and extension pages never build HTML from strings.
    files: ["content/**/*.{ts,tsx}", "popup/**/*.{ts,tsx}", "src/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Never insert page- or store-derived text as HTML." },
        { property: "outerHTML", message: "Never insert page- or store-derived text as HTML." },
        { property: "insertAdjacentHTML", message: "Never insert page- or store-derived text as HTML." },
        {
          property: "createContextualFragment",
          message: "Never insert page- or store-derived text as HTML.",
        },
        { property: "srcdoc", message: "Never insert page- or store-derived text as HTML." },
        {
          object: "document",
          property: "write",
          message: "Never insert page- or store-derived text as HTML.",
        },
        {
          object: "document",
          property: "writeln",
          message: "Never insert page- or store-derived text as HTML.",
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: "Never insert page- or store-derived text as HTML.",
        },
      ],
    },
  },
);
