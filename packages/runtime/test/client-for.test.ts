import { describe, expect, expectTypeOf, it } from "vitest";
import {
  API_VERSION,
  codespaceMachinesForAuthenticatedUser,
  createClient,
  createClientFor,
  MACHINES,
  operations,
  repoMachinesForAuthenticatedUser,
} from "./fixtures/client.js";
import { NotFoundError } from "../src/index.js";
import { sendJson, useServers } from "./helpers.js";

const useServer = useServers();

describe("createClientFor: a client of the operations named", () => {
  it("has exactly the methods named (keyed as named), and they send what createClient's send", async () => {
    const server = await useServer((req, res) =>
      req.url?.startsWith("/user/") ? sendJson(res, 404, { message: "Not Found" }) : sendJson(res, 200, MACHINES),
    );
    const options = { baseUrl: server.baseUrl, token: "ghp_for", retry: false as const, cache: false as const };
    const lean = createClientFor(
      { repoMachinesForAuthenticatedUser, machinesOf: codespaceMachinesForAuthenticatedUser },
      options,
    );
    expect(Object.keys(lean).sort()).toEqual(["machinesOf", "repoMachinesForAuthenticatedUser"]);
    expectTypeOf(lean).not.toHaveProperty("codespaceMachinesForAuthenticatedUser");

    const params = { owner: "octo-org", repo: "hello-world", ref: "main" };
    expect(await lean.repoMachinesForAuthenticatedUser(params)).toEqual(MACHINES);
    await expect(lean.machinesOf({ codespace_name: "cs" })).rejects.toBeInstanceOf(NotFoundError);
    await createClient(options).repoMachinesForAuthenticatedUser(params);

    const [viaFor, , viaClient] = server.seen;
    expect(viaFor?.url).toBe("/repos/octo-org/hello-world/codespaces/machines?ref=main");
    expect(server.seen[1]?.url).toBe("/user/codespaces/cs/machines");
    expect(viaFor?.headers["x-github-api-version"]).toBe(API_VERSION);
    expect(viaFor?.headers.authorization).toBe("Bearer ghp_for");
    expect({ ...viaFor?.headers, host: "" }).toEqual({ ...viaClient?.headers, host: "" });
  });

  it("the operations table is the exported descriptors themselves", () => {
    expect(operations.repoMachinesForAuthenticatedUser).toBe(repoMachinesForAuthenticatedUser);
    expect(operations.codespaceMachinesForAuthenticatedUser).toBe(codespaceMachinesForAuthenticatedUser);
  });
});
