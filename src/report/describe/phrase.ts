import { DateTime } from "luxon";

/**
 * A sentence as typed pieces rather than a string, so each output format can escape what came
 * from the policy text (titles, values, handles) its own way, and ids can be shown as code.
 */
export type Inline =
  /** Our own words, and names from the policy read as words (team titles, field names). */
  | { kind: "words"; text: string }
  /** An id declared in the policy: `mql`. */
  | { kind: "id"; name: string }
  /** A value quoted from the policy text: “C-level”. */
  | { kind: "value"; text: string }
  /** A GitHub user or team; shown as code so a comment does not notify them. */
  | { kind: "handle"; name: string };

export type Phrase = Inline[];
export type Part = Phrase | string;

export const id = (name: string): Phrase => [{ kind: "id", name }];
export const value = (text: string): Phrase => [{ kind: "value", text }];
export const handle = (name: string): Phrase => [{ kind: "handle", name }];

/** Joins parts; plain strings become words. Adjacent words merge so output stays tidy. */
export function cat(...parts: Part[]): Phrase {
  const out: Phrase = [];
  for (const part of parts) {
    const pieces: Phrase = typeof part === "string" ? (part === "" ? [] : [{ kind: "words", text: part }]) : part;
    for (const piece of pieces) {
      const last = out[out.length - 1];
      if (piece.kind === "words" && last?.kind === "words") out[out.length - 1] = { kind: "words", text: last.text + piece.text };
      else out.push(piece);
    }
  }
  return out;
}

/** "A", "A and B", "A, B and C" (or `or`, `nor`). */
export function list(items: readonly Phrase[], conjunction = "and", separator = ", "): Phrase {
  if (items.length === 0) return [];
  if (items.length === 1) return items[0]!;
  const parts: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(i === items.length - 1 ? ` ${conjunction} ` : separator);
    parts.push(item);
  });
  return cat(...parts);
}

/** Plain text of a phrase, for tests and for tools that want no markup. */
export function plainText(phrase: Phrase): string {
  return phrase
    .map((p) => {
      switch (p.kind) {
        case "words":
          return p.text;
        case "id":
          return p.name;
        case "value":
          return `“${p.text}”`;
        case "handle":
          return `@${p.name}`;
      }
    })
    .join("");
}

/** `lead_score` → "lead score": an id read aloud. */
export function spoken(name: string): string {
  return name.replace(/_+/g, " ").trim();
}

const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });

/** 1500000 → "1,500,000"; 2.25 → "2.25": exact, with separators. */
export function number(n: number): string {
  return decimal.format(n);
}

export function percent(n: number): string {
  return `${number(n)}%`;
}

export function money(amount: number, currency: string): string {
  return `${number(amount)} ${currency}`;
}

/** 2026-11-26 → "26 Nov 2026"; as written when it is not a real date (the checker says so). */
export function day(iso: string): string {
  const d = DateTime.fromISO(iso, { zone: "UTC", locale: "en-GB" });
  return d.isValid ? d.toFormat("d LLL yyyy") : iso;
}

/** 2026-03-08T02:30:00Z → "8 Mar 2026, 02:30 UTC"; without an offset, in the agreement's zone. */
export function instant(iso: string): string {
  const d = DateTime.fromISO(iso, { setZone: true, locale: "en-GB" });
  if (!d.isValid) return iso;
  const hasOffset = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(iso);
  const zone = hasOffset ? (d.offset === 0 ? " UTC" : ` UTC${d.toFormat("ZZ")}`) : " in the agreement's time zone";
  return `${d.toFormat("d LLL yyyy, HH:mm")}${zone}`;
}

const WEEKDAYS: Record<string, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

export function weekday(short: string): string {
  return WEEKDAYS[short.toLowerCase()] ?? short;
}

/** "09:00" → "9:00". */
export function clock(text: string): string {
  return text.replace(/^0(\d)/, "$1");
}

/** "America/New_York" → "New York time"; "UTC" stays "UTC". */
export function zoneWords(zone: string): string {
  if (/^(UTC|GMT|Etc\/UTC)$/i.test(zone)) return "UTC";
  const city = zone.split("/").pop() ?? zone;
  return `${city.replace(/_/g, " ")} time`;
}
