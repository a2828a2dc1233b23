import { createRequire } from "node:module";

type DuckDbApi = typeof import("@duckdb/node-api");

let api: DuckDbApi | undefined;

/**
 * @duckdb/node-api, loaded when a DuckDB engine first runs (never at start-up of other commands).
 * By require, not import(): an ES import of this CommonJS package first runs Node's
 * cjs-module-lexer over each of its many files, some 100 ms before the first query at 1M leads
 * (bench/README.md, "DuckDB engine speed").
 */
export function duckDbApi(): DuckDbApi {
  api ??= createRequire(import.meta.url)("@duckdb/node-api") as DuckDbApi;
  return api;
}
