#!/usr/bin/env node
import { processIO } from "./io.js";
import { run } from "./run.js";

// `smarketing-policy eval … | head` closes the pipe early; that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await run(process.argv.slice(2), processIO());
process.exitCode = code;
