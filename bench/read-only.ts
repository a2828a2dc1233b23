/** Reading alone: the project's CSV reader over both files, every row materialised, nothing evaluated. */
import path from "node:path";
import { findDataFiles, forEachRow } from "../src/snapshot/read.js";

const dir = process.argv[2] ?? "bench/data/100000";
const files = await findDataFiles(path.resolve(dir), dir);
let rows = 0;
for (const file of [files.leads, files.activities]) {
  if (!file) continue;
  await forEachRow(file, (row) => {
    if ("record" in row) rows++;
  });
}
process.stdout.write(`${JSON.stringify({ rows })}\n`);
