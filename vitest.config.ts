import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Property tests and CLI scenarios do real work; the default 5 s is tight on a 2-core CI machine.
    testTimeout: 60_000,
    pool: "forks",
  },
});
