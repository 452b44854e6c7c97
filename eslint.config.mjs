import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "drizzle/**",
      "e2e/artifacts/**",
      "next-env.d.ts",
      "playwright-report/**",
      "test-results/**",
    ],
  },
  {
    // Vitest helpers named use*() register hooks; they are not React hooks.
    files: ["**/*.test.ts", "e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // The browser chat client ships to the browser: it may take protocol TYPES from lib/chatkit
    // (erased at build time), but no value from our other modules, zod or Node built-ins.
    files: ["lib/chatkit-client/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/*", "../*", "zod", "node:*", "server-only"],
              allowTypeImports: true,
              message: "lib/chatkit-client runs in browsers: import only types from outside the module.",
            },
          ],
        },
      ],
    },
  },
  {
    // lib/ui is the browser side of our pages: no configuration, database or server-only code.
    files: ["lib/ui/**/*.ts", "lib/ui/**/*.tsx"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/db/*", "@/lib/env", "@/lib/auth/*", "server-only", "node:*"],
              allowTypeImports: true,
              message: "lib/ui runs in browsers: keep server code out of it.",
            },
          ],
        },
      ],
    },
  },
  {
    // proxy.ts reads the operation registry on every API request (lib/openapi/allowed-methods.ts):
    // it may take the protocol's schemas, the body and model limits and the error codes, but no
    // component schema or server code.
    files: [
      "lib/openapi/allowed-methods.ts",
      "lib/openapi/chatkit-requests.ts",
      "lib/openapi/spec.ts",
      "lib/openapi/operations/**/*.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "../components",
                "./components",
                "@/lib/openapi/components",
                "@/db/*",
                "@/lib/*/*",
                "!@/lib/chatkit/types",
                "!@/lib/http/body-limits",
                "!@/lib/http/model-limits",
                "!@/lib/http/error-codes",
              ],
              allowTypeImports: true,
              message: "The registry is read by proxy.ts on every API request: keep schemas and server code out of it.",
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
