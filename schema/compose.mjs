// Composes subgraph SDLs into an Apollo Federation supergraph.
// Input (stdin): [{"name", "url", "sdl"}...]. Output (stdout): the supergraph SDL.
// On failure: each composition error on its own line on stderr, exit code 1.
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { composeServices } from "@theguild/federation-composition";

const services = JSON.parse(readFileSync(0, "utf8")).map((s) => ({
  name: s.name,
  url: s.url,
  typeDefs: parse(s.sdl),
}));
const result = composeServices(services);
if (result.errors && result.errors.length > 0) {
  for (const error of result.errors) {
    process.stderr.write(`- ${error.message}\n`);
  }
  process.exit(1);
}
process.stdout.write(result.supergraphSdl.trimEnd() + "\n");
