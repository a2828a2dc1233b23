/**
 * Every value that comes from data (CRM exports, test files, folder names) or from policy text
 * is escaped for the place it lands in, here and nowhere else. Text we write ourselves (headings,
 * table rules, numbers we format) is not escaped: it is markup. Mask personal data first
 * (mask.ts), then escape: an escaped address no longer looks like one.
 */

// C0 controls and DEL become their Control Pictures (one character each, so a caret under a
// quoted source line still lines up); C1 controls and the bidirectional overrides/isolates
// that reorder what a terminal shows ("Trojan source") become U+FFFD.
const CONTROL = /[\u0000-\u001f\u007f]/g;
const INVISIBLE_ORDER = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * A value for a terminal or a plain-text file: escape sequences (`ESC ]8;;…`, `ESC [2J`), line
 * breaks and other control characters are shown, never obeyed, so a value cannot clear the
 * screen, forge a link or start a line of its own.
 */
export function visible(text: string): string {
  return text
    .replace(CONTROL, (ch) => String.fromCharCode(ch === "\u007f" ? 0x2421 : 0x2400 + ch.charCodeAt(0)))
    .replace(INVISIBLE_ORDER, "\ufffd");
}

// Line breaks and other controls would end a table row, a list item or an HTML block.
const MD_BREAKS = /[\r\n\u2028\u2029]+/g;
// Inline markup anywhere: emphasis, code, links, raw HTML and entities, tables, strikethrough,
// headings' closing sequence, math, escapes themselves.
const MD_PUNCTUATION = /[\\`*[\]<>&|~#$]/g;
// `_` only makes emphasis at a word's edge; inside `first_touch` it is plain text.
const MD_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
// GitHub turns bare URLs and `www.` into links (autolink literals): a zero-width space breaks them.
const MD_AUTOLINK = /(:)(\/\/)|\b(w)(ww\.)/gi;
// At the start of a line a value could open a list, a quote, a heading, a setext underline or
// (indented four spaces) a code block: leading white space shrinks to one space.
const MD_LINE_START = /^(\s*)([-+=]|\d+(?=[.)]))/;
const MD_INDENT = /^[ \t]{2,}/;
const ZWSP = "&#8203;";

/**
 * A value inside Markdown text (a paragraph, a list item, a heading, a table cell, a quote):
 * it reads the same once rendered and adds no markup — no heading, link, mention, HTML comment
 * or `</details>`, and never a second line. `@` is followed by a zero-width space, so
 * `@everyone` or `@org/team` in a CRM value notifies no one on GitHub.
 */
export function markdownText(text: string): string {
  return visible(text.replace(MD_BREAKS, " ").replace(MD_INDENT, " "))
    .replace(MD_PUNCTUATION, "\\$&")
    .replace(MD_UNDERSCORE, "\\_")
    .replace(MD_AUTOLINK, (_m, colon?: string, slashes?: string, w?: string, rest?: string) => (colon ? `${colon}${ZWSP}${slashes}` : `${w}${ZWSP}${rest}`))
    .replace(/@/g, `@${ZWSP}`)
    .replace(MD_LINE_START, (_m, space: string, marker: string) => (/^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`));
}

/**
 * A value as inline code: a backtick fence longer than any run of backticks in it, on one line.
 * Inside a table cell the row's `|` escaping still applies (GFM reads `\|` in code as `|`).
 */
export function markdownCode(text: string): string {
  const flat = visible(text.replace(MD_BREAKS, " "));
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || (flat.startsWith(" ") && flat.endsWith(" ") && flat.trim() !== "") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A table cell's content, already formatted: a `|` would start a new cell. */
export function markdownCell(content: string): string {
  return content.replace(MD_BREAKS, " ").replace(/\|/g, "\\|");
}

const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITY: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A value in HTML text or a quoted attribute (the dashboard). */
export function html(text: string): string {
  return visible(text).replace(HTML_SPECIAL, (ch) => HTML_ENTITY[ch]!);
}

/** A value in an HTML block inside Markdown (`<summary>…</summary>`): HTML-escaped, and no mention or blank line. */
export function markdownHtml(text: string): string {
  return html(text.replace(MD_BREAKS, " ")).replace(/@/g, `@${ZWSP}`);
}

// Characters XML 1.0 cannot hold at all, even escaped: C0 controls but tab and line breaks,
// lone surrogates, U+FFFE and U+FFFF.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

/** A value in XML text or a quoted attribute (JUnit): escaped, and made well-formed. */
export function xml(text: string): string {
  return text
    .replace(XML_INVALID, (ch) => (ch.charCodeAt(0) < 0x20 ? String.fromCharCode(0x2400 + ch.charCodeAt(0)) : "\ufffd"))
    .replace(HTML_SPECIAL, (ch) => (ch === "'" ? "&apos;" : HTML_ENTITY[ch]!));
}
