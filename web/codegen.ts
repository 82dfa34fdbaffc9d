import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed operations from the committed supergraph. `npm run codegen:check` fails when
// src/gql/ is stale (a pytest runs it).
const config: CodegenConfig = {
  schema: "../schema/supergraph.graphql",
  documents: ["src/**/*.graphql"],
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: "string", Date: "string", Time: "string", Decimal: "string", JSON: "unknown" },
        enumsAsTypes: true,
        useTypeImports: true,
        dedupeFragments: true,
      },
    },
  },
  ignoreNoDocuments: false,
};
export default config;
