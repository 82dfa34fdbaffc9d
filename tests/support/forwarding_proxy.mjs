// A reverse proxy as production runs one in front of the router: `http-proxy` with `xfwd`
// (it appends the address it saw to X-Forwarded-For, over HTTP and WebSocket upgrades
// alike) and `ws`, connecting out from its own address (`localAddress`). Each request or
// upgrade goes to the next target in turn (round robin).
// Prints {"port": N} once listening, then {"kind": "http" | "websocket", "target": URL}
// per request it forwards, {"error": ...} per failure; stops on SIGTERM.
// Usage: node forwarding_proxy.mjs <node_modules> <listen address> <local address> <target>...
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, listen, localAddress, ...targets] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const httpProxy = require("http-proxy");

const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const proxy = httpProxy.createProxyServer({ xfwd: true, ws: true, localAddress });
proxy.on("error", (error, _request, response) => {
  print({ error: error.message });
  if (typeof response.writeHead === "function" && !response.headersSent) {
    response.writeHead(502).end();
  } else {
    response.destroy();
  }
});

let turn = 0;
const next = (kind) => {
  const target = targets[turn++ % targets.length];
  print({ kind, target });
  return target;
};
const server = createServer((request, response) => {
  proxy.web(request, response, { target: next("http") });
});
server.on("upgrade", (request, socket, head) => {
  proxy.ws(request, socket, head, { target: next("websocket") });
});
server.listen(0, listen, () => print({ port: server.address().port }));
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
