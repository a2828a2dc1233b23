import fc from "fast-check";

/** Names include soft keywords on purpose: fields called `owner`, `date` or `type` must keep working. */
export const nameArb = fc.constantFrom("a", "b", "mql", "sales_ready", "x1", "owner", "date", "type", "target", "score", "Lead_2");
const stringArb = fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, "\\u{$1}"));
const numberArb = fc.oneof(fc.nat({ max: 2_000_000 }).map(String), fc.constantFrom("1_000", "2.5", "0", "75"));
const percentArb = fc.oneof(fc.nat({ max: 100 }).map((n) => `${n}%`), fc.constant("12.5%"));
const dateArb = fc.constantFrom("2026-01-01", "2026-12-25", "2027-02-28");
const literalArb = fc.oneof(
  stringArb,
  numberArb,
  percentArb,
  dateArb,
  fc.constantFrom("true", "false", "2026-03-08T02:30:00Z", "2026-03-08T02:30", "10 USD"),
);
const opArb = fc.constantFrom("=", "!=", "<", "<=", ">", ">=");

/** Token lists; the layout between tokens is chosen separately. */
type Tokens = string[];

export const exprArb: fc.Arbitrary<Tokens> = fc.letrec<{ expr: Tokens; atom: Tokens }>((tie) => ({
  atom: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    nameArb.map((n) => [n]),
    fc.tuple(nameArb, opArb, literalArb).map(([n, o, l]) => [n, o, l]),
    fc.tuple(nameArb, fc.boolean(), fc.array(literalArb, { maxLength: 3 })).map(([n, neg, ls]) => [
      n,
      ...(neg ? ["not"] : []),
      "in",
      "[",
      ...ls.flatMap((l, i) => (i === 0 ? [l] : [",", l])),
      "]",
    ]),
    fc.tuple(nameArb, fc.constantFrom(["contains"], ["starts", "with"], ["ends", "with"]), stringArb).map(([n, op, s]) => [n, ...op, s]),
    fc.tuple(nameArb, fc.boolean()).map(([n, neg]) => [n, "is", ...(neg ? ["not"] : []), "set"]),
    tie("expr").map((e) => ["(", ...e, ")"]),
    tie("atom").map((e) => ["not", ...e]),
  ),
  expr: fc
    .tuple(tie("atom"), fc.array(fc.tuple(fc.constantFrom("and", "or"), tie("atom")), { maxLength: 3 }))
    .map(([first, rest]) => [...first, ...rest.flatMap(([op, a]) => [op, ...a])]),
})).expr;

const titleArb = fc.option(stringArb, { nil: undefined });
const durationArb = fc
  .tuple(fc.integer({ min: 1, max: 99 }), fc.boolean(), fc.constantFrom("minutes", "hours", "days", "weeks", "day"), fc.option(nameArb, { nil: undefined }))
  .map(([n, business, unit, cal]) => [String(n), ...(business ? ["business"] : []), unit, ...(cal ? ["on", cal] : [])]);

const slaClauseArb: fc.Arbitrary<Tokens> = fc.oneof(
  nameArb.map((n) => ["owner", n]),
  fc.tuple(nameArb, fc.option(nameArb, { nil: undefined })).map(([d, f]) => ["leads", d, ...(f ? ["from", f] : [])]),
  exprArb.map((e) => ["touches", ...e]),
  // `calendar by FIELD { "V": ID, … } default ID` (calendars per lead).
  fc
    .tuple(nameArb, fc.array(fc.tuple(stringArb, nameArb), { maxLength: 3 }), fc.option(nameArb, { nil: undefined }))
    .map(([field, cases, fallback]) => ["calendar", "by", field, "{", ...cases.flatMap(([v, c], i) => [...(i > 0 ? [","] : []), v, ":", c]), "}", ...(fallback ? ["default", fallback] : [])]),
  // `owner = lead.owner` (touch filters only): `lead.NAME` as one token, as fmt writes it.
  fc.tuple(exprArb, nameArb, opArb, nameArb).map(([e, n, o, m]) => ["touches", ...e, "and", n, o, `lead.${m}`]),
  fc.tuple(opArb, fc.nat(100)).map(([o, n]) => ["expect", "count", o, String(n)]),
  fc.tuple(nameArb, opArb, percentArb).map(([d, o, p]) => ["expect", "rate", "of", d, o, p]),
  durationArb.map((d) => ["expect", "first", "touch", "within", ...d]),
  fc.tuple(durationArb, opArb, fc.nat(9)).map(([d, o, n]) => ["expect", "touches", "within", ...d, o, String(n)]),
  percentArb.map((p) => ["target", p]),
  fc.nat(50).map((n) => ["minimum", String(n), "leads"]),
  fc.constantFrom("day", "week", "month", "quarter", "year").map((p) => ["per", p]),
  fc.array(nameArb, { minLength: 1, maxLength: 3 }).map((ns) => ["by", ...ns.flatMap((n, i) => (i === 0 ? [n] : [",", n]))]),
  fc.constantFrom("hard", "soft", "advisory").map((s) => ["severity", s]),
  nameArb.map((n) => ["calendar", n]),
);

/** A clause keyword at most once per block: a second one is a diagnostic, and fmt refuses those. */
function uniqueClauses(clauses: Tokens[]): Tokens[] {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = c[0] === "expect" ? "expect" : c[0]!;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const fieldArb = fc
  .tuple(
    nameArb,
    fc.constantFrom(["text"], ["number"], ["boolean"], ["time"], ["date"], ["money USD"]),
    fc.option(fc.array(stringArb, { maxLength: 3 }), { nil: undefined }),
    fc.option(stringArb, { nil: undefined }),
    fc.boolean(),
  )
  .map(([n, type, oneOf, column, pii]) => [
    n,
    ...type,
    ...(oneOf && type[0] === "text" ? ["one", "of", "[", ...oneOf.flatMap((s, i) => (i === 0 ? [s] : [",", s])), "]"] : []),
    ...(column ? ["from", column] : []),
    ...(pii ? ["pii"] : []),
  ]);

const timeArb = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${h}:${String(m).padStart(2, "0")}`);

export const blockArb: fc.Arbitrary<Tokens> = fc.oneof(
  fc
    .tuple(stringArb, fc.subarray([["version", "3"], ["effective", "2026-12-01"], ["timezone", '"UTC"'], ["calendar", "office"]]))
    .map(([title, clauses]) => ["agreement", title, "{", ...clauses.flat(), "}"]),
  fc
    .tuple(nameArb, titleArb, fc.array(fc.constantFrom("@dana", "@acme/sales-leads", "@a.b"), { maxLength: 3 }))
    .map(([id, title, handles]) => [
      "team",
      id,
      ...(title ? [title] : []),
      "{",
      ...(handles.length ? ["approvers", ...handles.flatMap((h, i) => (i === 0 ? [h] : [",", h]))] : []),
      "}",
    ]),
  fc
    .tuple(nameArb, fc.array(fc.tuple(fc.constantFrom(["mon", "-", "thu"], ["fri"], ["sat", ",", "sun"]), timeArb, timeArb), { maxLength: 3 }), fc.array(dateArb, { maxLength: 2 }))
    .map(([id, hours, holidays]) => [
      "calendar",
      id,
      "{",
      ...hours.flatMap(([days, a, b]) => ["hours", ...days, a, "-", b]),
      ...(holidays.length ? ["holidays", ...holidays.flatMap((d, i) => (i === 0 ? [d] : [",", d]))] : []),
      "}",
    ]),
  fc.array(fieldArb, { maxLength: 4 }).map((fields) => ["fields", "{", ...fields.flat(), "}"]),
  fc
    .tuple(nameArb, titleArb, fc.option(exprArb, { nil: undefined }), fc.option(nameArb, { nil: undefined }), fc.boolean())
    .map(([id, title, when, since, sinceFirst]) => {
      const whenTokens = when ? ["when", ...when] : [];
      const sinceTokens = since ? ["since", since] : [];
      return ["lead", id, ...(title ? [title] : []), "{", ...(sinceFirst ? [...sinceTokens, ...whenTokens] : [...whenTokens, ...sinceTokens]), "}"];
    }),
  // A waiver (SPEC §8.4): its clauses in any order, each at most once.
  fc
    .tuple(
      nameArb,
      titleArb,
      fc.subarray([
        ["sla", "first_touch", ",", "cap"],
        ["leads", '"L7"', ",", '"a b"'],
        ["when", "lead_source", "=", '"test"'],
        ["periods", "2027-01", ",", "2027-Q2", ",", "2027-W05"],
        ["from", "2027-01-01"],
        ["until", "2027-03-31"],
      ]),
    )
    .chain(([id, title, clauses]) => fc.shuffledSubarray(clauses, { minLength: clauses.length }).map((order) => ["waiver", id, ...(title ? [title] : []), "{", ...order.flat(), "}"])),
  fc
    .tuple(nameArb, titleArb, fc.array(slaClauseArb, { maxLength: 6 }))
    .map(([id, title, clauses]) => ["sla", id, ...(title ? [title] : []), "{", ...uniqueClauses(clauses).flat(), "}"]),
  fc
    .tuple(
      nameArb,
      titleArb,
      fc.array(nameArb, { minLength: 1, maxLength: 2 }),
      fc.array(fc.tuple(nameArb, fc.option(percentArb, { nil: undefined })), { minLength: 1, maxLength: 3 }),
      // `quotas { "group": AMOUNT, … }` (quotas per rep), sometimes.
      fc.option(fc.array(fc.tuple(stringArb, numberArb), { maxLength: 3 }), { nil: undefined }),
    )
    .map(([id, title, owners, stages, quotas]) => [
      "goal",
      id,
      ...(title ? [title] : []),
      "{",
      "owner",
      ...owners.flatMap((o, i) => (i === 0 ? [o] : [",", o])),
      "revenue",
      "1_500_000",
      "USD",
      "per",
      "quarter",
      "from",
      "amount",
      "average",
      "deal",
      "25_000",
      "USD",
      "funnel",
      ...stages.flatMap(([d, p], i) => [...(i > 0 ? ["->"] : []), d, ...(p ? [p] : [])]),
      ...(quotas ? ["quotas", "{", ...quotas.flatMap(([g, n], i) => [...(i > 0 ? [","] : []), g, ":", n, "USD"]), "}"] : []),
      "}",
    ]),
);

/** Layout between two tokens: spaces, newlines, blank lines, trailing and own-line comments. */
export const separatorArb = fc.constantFrom(" ", " ", " ", "\n  ", "\n\n", "  # note\n", "\n# about the next line\n", "\t", "\r\n");

export const layoutPolicyArb: fc.Arbitrary<string> = fc
  .array(blockArb, { minLength: 1, maxLength: 4 })
  .chain((blocks) => {
    const tokens = blocks.flat();
    return fc.array(separatorArb, { minLength: tokens.length, maxLength: tokens.length }).map((seps) =>
      tokens.map((t, i) => t + seps[i]).join(""),
    );
  });

/** Valid by construction: a fixed header, then lead definitions, SLAs and goals over its fields. */
const validExprArb = (earlier: readonly string[]): fc.Arbitrary<string> =>
  fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom('stage = "a"', 'stage not in ["a", "b"]', "score >= 50", "score != 2.5", "flag", 'owner ends with "x"', 'owner contains "y"', "owner is set", "t1 is not set", "t1 < 2027-01-01T00:00:00Z", "amount >= 10 USD", ...earlier),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a} and ${b})`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a} or ${b})`),
      tie("e").map((a) => `not ${a}`),
    ),
  })).e;

const validSlaArb = (defs: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...defs),
      fc.constantFrom("t_mkt", "t_sales"),
      fc.constantFrom("count >= 2", "count < 9", "rate of DEF >= 50%", "first touch within 90 minutes", "first touch within 3 business hours", "touches within 2 days <= 1", "touches within 1 weeks > 2"),
      fc.constantFrom("", "per day", "per week", "per month", "per quarter", "per year"),
      fc.constantFrom("", "by owner", "by stage, owner"),
      fc.constantFrom("", "severity soft", "severity advisory", "severity hard"),
      fc.constantFrom('type in ["call", "email"]', 'type = "call" and owner = lead.owner', "owner != lead.owner or at >= lead.t1"),
      fc.constantFrom("", 'calendar by stage { "a": office } default office'),
    )
    .map(([population, owner, expect, per, by, severity, touches, calendarBy]) => {
      const leadLevel = expect.includes("touch");
      return [
        `owner ${owner}`,
        `leads ${population}`,
        leadLevel ? `touches ${touches}` : "",
        `expect ${expect.replace("DEF", defs[0]!)}`,
        leadLevel ? "target 80%" : "",
        per,
        by,
        severity,
        calendarBy,
      ].filter(Boolean).join("\n  ");
    });

export const validPolicyArb: fc.Arbitrary<{ text: string; ids: string[] }> = fc
  .tuple(
    fc.array(validExprArb([]), { minLength: 1, maxLength: 3 }),
    fc.array(fc.constant(null), { minLength: 1, maxLength: 3 }),
    fc.array(fc.option(fc.constantFrom("25%", "40%", "12.5%"), { nil: undefined }), { minLength: 2, maxLength: 2 }),
    fc.boolean(),
  )
  .chain(([exprs, slaSlots, rates, averageDeal]) => {
    const defs = exprs.map((_, i) => `d${i + 1}`);
    return fc.tuple(fc.constant(exprs), fc.constant(defs), fc.tuple(...slaSlots.map(() => validSlaArb(defs))), fc.constant(rates), fc.constant(averageDeal));
  })
  .map(([exprs, defs, slas, rates, averageDeal]) => {
    const funnel = defs.map((d, i) => (i > 0 && rates[i - 1] ? `${d} ${rates[i - 1]}` : d)).join(" -> ");
    const text = `agreement "Generated" {
  timezone "America/New_York"
  calendar office
}
team t_mkt "Marketing" { approvers @acme/marketing }
team t_sales { approvers @sam }
calendar office {
  hours mon-fri 09:00-17:00
  holidays 2026-11-26
}
fields {
  stage text one of ["a", "b", "c"]
  score number
  flag boolean
  owner text from "Contact owner"
  t1 time
  amount money USD
}
${exprs.map((e, i) => `lead d${i + 1} { when ${e}${i > 0 ? ` and d${i}` : ""} since t1 }`).join("\n")}
${slas.map((body, i) => `sla s${i + 1} {\n  ${body}\n}`).join("\n")}
goal g1 {
  owner t_sales, t_mkt
  revenue 100_000 USD per quarter from amount
  ${averageDeal ? "average deal 5_000 USD" : ""}
  funnel ${funnel}
  by owner
  quotas { "ana": 150_000 USD, "ben": 50_000 USD }
}
`;
    const ids = ["t_mkt", "t_sales", "office", "stage", "score", "flag", "owner", "t1", "amount", ...defs, ...slas.map((_, i) => `s${i + 1}`), "g1"];
    return { text, ids };
  });
