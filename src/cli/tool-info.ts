import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const pkg = require("../../package.json") as { version: string };

export const TOOL = {
  version: pkg.version,
  informationUri: "https://github.com/smarketing-policy/smarketing-policy",
} as const;
