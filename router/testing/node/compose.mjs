// Compose subgraph SDLs into a supergraph with @theguild/federation-composition.
// Usage: node compose.mjs <node_modules dir> [--public]
// With --public it prints the public API schema the library derives instead.
// stdin: JSON [{"name": ..., "url": ..., "sdl": ...}]; stdout: the supergraph SDL.
// Exits with status 1 and the composition errors on stderr when composition fails.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.argv[2], "noop.js"));
const { parse } = require("graphql");
const { composeServices } = require("@theguild/federation-composition");

const services = JSON.parse(readFileSync(0, "utf8"));
const result = composeServices(
  services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
);
if (result.errors && result.errors.length > 0) {
  for (const error of result.errors) process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
process.stdout.write(process.argv[3] === "--public" ? result.publicSdl : result.supergraphSdl);
