/** A value as quoted in a message: at most 40 characters, so one odd value cannot flood a report. */
export function show(raw: unknown): string {
  // Control characters (a binary file read as text) would garble the terminal: shown as �.
  const text = (typeof raw === "string" ? raw : asJson(raw)).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "\ufffd");
  if (text.length <= 40) return text;
  // A cut never leaves part of an e-mail address: reports mask whole addresses (report/mask.ts),
  // so a word with an at sign that the cut would split is left out whole.
  const kept = text.slice(0, 37);
  const wordStart = kept.search(/\S*$/);
  // Only the address's own length past the cut is looked at (at most 254 characters): a long value costs no more.
  const cutWord = /\S/.test(text[37] ?? "") ? kept.slice(wordStart) + (text.slice(37, 37 + 256).match(/^\S*/)?.[0] ?? "") : "";
  return `${cutWord.includes("@") || cutWord.includes("\uff20") ? kept.slice(0, wordStart) : kept}…`;
}

/** A JSON value as JSON; one nested too deeply to write (JSON.parse reads 100,000 '[' that JSON.stringify cannot write back) is named, not written. */
function asJson(raw: unknown): string {
  try {
    return String(JSON.stringify(raw));
  } catch {
    return Array.isArray(raw) ? "[… nested too deeply to show]" : "{… nested too deeply to show}";
  }
}
