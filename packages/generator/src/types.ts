/**
 * TypeScript types of a slice (openapi-typescript's Node API: `paths`, `components`, `operations`).
 * The function and its options live in `@codespaces-clients/spec`, because `spec update` compiles the
 * old slice's usage against exactly these types before it writes a changeset, and the spec package
 * cannot depend on the generator (the generator depends on it).
 */
export { typesOf } from "@codespaces-clients/spec";
