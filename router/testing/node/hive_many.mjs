// One Hive Gateway process serving many supergraphs, each at /<name>/graphql.
// Usage: node hive_many.mjs <node_modules dir> <port> <manifest.json>
// manifest: JSON [{"name": ..., "supergraph": <path to the supergraph SDL>}].
// Each supergraph gets its own gateway runtime (@graphql-hive/gateway-runtime, the runtime
// the `hive-gateway supergraph` command builds, with the CLI's defaults that matter here:
// masked errors on, no polling). GET /healthcheck answers 200 once every runtime is built.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, port, manifestPath] = process.argv.slice(2);
const runtimePath = join(modules, "@graphql-hive", "gateway-runtime", "dist", "index.js");
const { createGatewayRuntime } = await import(pathToFileURL(runtimePath).href);

const OPERATION_TAG = "x-differential-operation";
const runtimes = new Map();
for (const { name, supergraph } of JSON.parse(readFileSync(manifestPath, "utf8"))) {
  runtimes.set(
    name,
    createGatewayRuntime({
      supergraph: readFileSync(supergraph, "utf8"),
      graphqlEndpoint: `/${name}/graphql`,
      logging: false,
      landingPage: false,
      // The differential harness tags each operation it sends; the tag reaches every
      // subgraph request of that operation, including those sent after the answer.
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => ({
          [OPERATION_TAG]: request.headers.get(OPERATION_TAG),
        }),
      },
    }),
  );
}

const server = createServer((req, res) => {
  if (req.url === "/healthcheck") {
    res.writeHead(200).end("ok");
    return;
  }
  const name = (req.url || "").split("/")[1];
  const runtime = runtimes.get(name);
  if (runtime === undefined) {
    res.writeHead(404).end("no such scenario");
    return;
  }
  runtime(req, res);
});
server.listen(Number(port), "127.0.0.1");
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
