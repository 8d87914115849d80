// Loopback GitHub for the request benchmark, in its own process so that serving does not share
// the measured event loop. Prints the port, then answers every request with one machines list.
import { createServer } from "node:http";

const body = JSON.stringify({
  total_count: 2,
  machines: [
    {
      name: "standardLinux",
      display_name: "4 cores, 16 GB RAM, 64 GB storage",
      operating_system: "linux",
      storage_in_bytes: 68719476736,
      memory_in_bytes: 17179869184,
      cpus: 4,
      prebuild_availability: "ready",
    },
    {
      name: "premiumLinux",
      display_name: "8 cores, 32 GB RAM, 64 GB storage",
      operating_system: "linux",
      storage_in_bytes: 68719476736,
      memory_in_bytes: 34359738368,
      cpus: 8,
      prebuild_availability: null,
    },
  ],
});
const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
  if (!req.headers["x-github-api-version"]) {
    res.writeHead(400, { "content-type": "application/json" }).end('{"message":"missing X-GitHub-Api-Version"}');
    return;
  }
  res
    .writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      etag: '"abc"',
    })
    .end(body);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
process.on("disconnect", () => process.exit(0));
