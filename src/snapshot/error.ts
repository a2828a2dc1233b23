/** A problem that stops reading a snapshot: the command ends with this message and exit 2. */
export class SnapshotError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }

  /** The one line every command prints for it: "file:line: error: message". */
  toText(): string {
    return `${this.file}${this.line !== undefined ? `:${this.line}` : ""}: error: ${this.message}`;
  }
}
