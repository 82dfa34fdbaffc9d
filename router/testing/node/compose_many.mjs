// Compose many federations in one node process (one process start instead of one each).
// Usage: node compose_many.mjs <node_modules dir>
// stdin: JSON [[{"name": ..., "url": ..., "sdl": ...}, ...], ...], one list per federation;
// stdout: JSON [{"supergraph": <SDL>} | {"errors": [<message>, ...]}, ...] in the same order.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.argv[2], "noop.js"));
const { parse } = require("graphql");
const { composeServices } = require("@theguild/federation-composition");

const federations = JSON.parse(readFileSync(0, "utf8"));
const results = federations.map((services) => {
  try {
    const result = composeServices(
      services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
    );
    if (result.errors && result.errors.length > 0) {
      return { errors: result.errors.map((e) => e.message) };
    }
    return { supergraph: result.supergraphSdl };
  } catch (error) {
    return { errors: [String(error)] };
  }
});
process.stdout.write(JSON.stringify(results));
