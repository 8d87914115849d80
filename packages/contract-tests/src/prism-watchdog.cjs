// Preloaded into every Prism process (node --require). Plain CJS because Prism is CJS.
//
// 1. Readiness, as an event: when Prism's HTTP server is listening, report its port over the IPC
//    channel (`{ type: "contract-prism-listening", port }`). Prism is started with `--port 0`, so
//    the kernel picks a free port at bind time (no race with other processes for a "free" port),
//    and the parent waits for this message instead of polling with a time budget.
// 2. Watchdog: exit when the process that started Prism is gone, so that even a SIGKILLed test run
//    leaves no mock behind. The IPC channel closes when the owner dies, for whatever reason
//    ("disconnect" event); the pid check is a fallback for a Prism started without IPC.
"use strict";
const net = require("node:net");

if (typeof process.send === "function") {
  const listen = net.Server.prototype.listen;
  let hooked = false;
  net.Server.prototype.listen = function (...args) {
    // Prism starts exactly one server; report the first one.
    if (!hooked) {
      hooked = true;
      this.once("listening", () => {
        const address = this.address();
        process.send({
          type: "contract-prism-listening",
          port: address && typeof address === "object" ? address.port : 0,
        });
      });
    }
    return listen.apply(this, args);
  };
  process.on("disconnect", () => process.exit(0));
  // The channel must not keep Prism alive by itself (Prism's server does that).
  process.channel?.unref();
}

const owner = Number(process.env.CONTRACT_PRISM_OWNER_PID);
if (owner > 0) {
  const timer = setInterval(() => {
    try {
      process.kill(owner, 0);
    } catch {
      process.exit(0);
    }
  }, 250);
  timer.unref();
}
