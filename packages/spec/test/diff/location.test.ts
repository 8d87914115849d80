import { describe, expect, it } from "vitest";
import { Location } from "../../src/diff/location.js";

const body = Location.of("response", "200", "application/json").body();
const param = Location.of("query", "parameter", "filter");

describe("Location: segments rendered once", () => {
  it.each([
    [Location.of("request body"), "request body"],
    [Location.of("response", "200").label("header", "ETag"), "response 200 header ETag"],
    [body, "response 200 application/json: (body)"],
    [body.prop("machines"), "response 200 application/json: machines"],
    [body.prop("machines").items().prop("name"), "response 200 application/json: machines[].name"],
    [body.items(), "response 200 application/json: []"],
    [body.additional(), "response 200 application/json: {*}"],
    [body.prop("meta").additional(), "response 200 application/json: meta.{*}"],
    [body.not(), "response 200 application/json: (body) (not)"],
    [body.not().prop("x"), "response 200 application/json: (body) (not) x"],
    [body.prop("a").not().items(), "response 200 application/json: a (not)[]"],
    [param, "query parameter filter"],
    [param.prop("state"), "query parameter filter.state"],
    [param.items(), "query parameter filter[]"],
    [param.prop("a.b"), "query parameter filter.a.b"],
  ])("%s", (location, want) => {
    expect(location.toString()).toBe(want);
    expect(`${location}`).toBe(want);
  });
});
