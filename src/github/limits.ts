/** GitHub's limits (SPEC §6). Past one, say what was left out and where the full report is. */
export const LIMITS = {
  commentChars: 65_536,
  checkSummaryChars: 65_535,
  annotationsPerRequest: 50,
  workflowCommandsPerStep: 10,
  jobSummaryBytes: 1024 * 1024,
  /** Ours, not GitHub's: a check run title that reads as one line. */
  checkTitleChars: 140,
} as const;

export const FULL_REPORT_NOTE =
  "The full report (personal fields masked) is in this run's uploaded artifact.";

/** Cuts text to fit a limit, ending with a note that says so. Never cuts inside a multi-byte character. */
export function fitWithin(text: string, limit: number, measure: (s: string) => number = (s) => s.length, limitText = `${limit.toLocaleString("en-US")} characters`): string {
  if (measure(text) <= limit) return text;
  const note = `\n\n---\n_Cut to fit GitHub's limit of ${limitText}. ${FULL_REPORT_NOTE}_\n`;
  let keep = limit - measure(note);
  let cut = text.slice(0, Math.max(0, keep));
  while (measure(cut) + measure(note) > limit && keep > 0) {
    keep -= 1024;
    cut = text.slice(0, Math.max(0, keep));
  }
  // Do not leave half an HTML <details> block open.
  const openDetails = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  return `${cut}${"\n</details>".repeat(Math.max(0, openDetails))}${note}`;
}

export const utf8Bytes = (s: string) => Buffer.byteLength(s, "utf8");
