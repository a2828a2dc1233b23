/** SPEC §5: 0 success or compliant, 1 a failing SLA or test, 2 invalid policy, snapshot or usage. */
export const EXIT = {
  ok: 0,
  failed: 1,
  invalid: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown by commands for a usage problem; the runner prints the message and exits 2. */
export class UsageError extends Error {}
