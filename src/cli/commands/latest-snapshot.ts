import { visible } from "../../report/escape.js";
import { newestSnapshot } from "../../snapshot/newest.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";

/**
 * `latest-snapshot [ROOT]`: the snapshot folder with the newest as_of, on stdout (for a workflow
 * to pass on), and on stderr which one was chosen and why.
 */
export async function latestSnapshotCommand(io: CliIO, root: string): Promise<ExitCode> {
  const found = await newestSnapshot(io.cwd, root);
  for (const s of found?.skipped ?? []) io.stderr(`skipped ${visible(s)}\n`);
  if (!found) {
    io.stderr(`no snapshot under ${visible(root)}/: a snapshot is a folder with leads.csv, leads.ndjson or leads.json (and snapshot.yaml saying as_of)\n`);
    return EXIT.invalid;
  }
  const why = found.asOf === undefined ? "none of them says as_of in snapshot.yaml; the last by name" : `as_of ${found.asOf}`;
  io.stderr(`newest snapshot: ${visible(found.dir)} (${why}; ${found.considered} snapshot folder${found.considered === 1 ? "" : "s"} looked at)\n`);
  io.stdout(`${found.dir}\n`);
  return EXIT.ok;
}
