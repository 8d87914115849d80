// Preloaded into every Prism process (node --require): exits when the process that started Prism
// is gone, so that even a SIGKILLed test run leaves no mock behind. Plain CJS because Prism is CJS.
"use strict";
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
