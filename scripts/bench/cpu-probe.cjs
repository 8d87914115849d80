// Preloaded into benchmarked processes: reports the process's own CPU time on exit, so a busy
// machine inflates wall time but not this number.
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nBENCH_CPU_MS=${(user + system) / 1000}\n`);
});
