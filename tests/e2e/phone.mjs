// A patient's phone: a `graphql-ws` client subscribed to appointment updates through the
// router. Prints one JSON line per event ({"event": "connected" | "next" | "error" |
// "closed", ...}) and exits after the first update whose action is ACTION.
// Usage: node phone.mjs <node_modules> <ws url> <authorization> <ACTION>
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, url, authorization, action] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const { createClient } = require("graphql-ws");
const WebSocket = require("ws");

const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  connectionParams: { authorization },
  on: {
    connected: () => print({ event: "connected" }),
    closed: (event) => print({ event: "closed", code: event.code }),
  },
});
const query = `subscription {
  appointmentUpdates {
    action
    appointment { id start status doctor { name specializations { name } } }
  }
}`;
client.subscribe(
  { query },
  {
    next: (payload) => {
      print({ event: "next", payload });
      if (payload.data && payload.data.appointmentUpdates.action === action) {
        client.dispose();
        process.exit(0);
      }
    },
    error: (error) => {
      print({ event: "error", error: Array.isArray(error) ? error : String(error.message || error) });
      process.exit(1);
    },
    complete: () => {
      print({ event: "complete" });
      process.exit(2);
    },
  },
);
