/** A small valid policy set that uses every construct, so a mutation test starts from no diagnostics. */
export const BASE = `agreement "Test SLA" {
  version 1
  effective 2026-01-01
  timezone "America/New_York"
  calendar office
}
team marketing "Marketing" {
  approvers @acme/marketing, @dana
}
team sales "Sales" {
  approvers @acme/sales
}
calendar office {
  timezone "America/New_York"
  hours mon-thu 09:00-12:00, 13:00-17:00
  hours fri 09:00-15:00
  holidays 2026-12-25
}
fields {
  email         text pii
  stage         text one of ["lead", "mql", "sql"]
  score         number from "Score"
  demo          boolean
  product       text
  owner         text
  created_at    time
  mql_at        time
  signup_day    date
  amount        money USD
}
lead mql "MQL" {
  when stage in ["mql", "sql"] or (score >= 60 and created_at >= 2026-01-01)
  since mql_at
}
lead ready "Ready" {
  when mql and demo and not (email ends with "@gmail.com") and product is set and signup_day is not set
  since created_at
}
sla volume "Volume" {
  owner marketing
  leads mql
  expect count >= 75
  per month
  by product
}
sla quality "Quality" {
  owner marketing
  leads mql
  expect rate of ready >= 40%
  per quarter
  severity soft
}
sla speed "Speed" {
  owner sales
  leads ready from created_at
  touches type in ["call", "email"]
  expect first touch within 5 business hours
  target 95%
  by owner
}
sla cap "Cap" {
  owner sales
  leads ready
  expect touches within 16 days <= 4
}
goal revenue "Revenue" {
  owner sales, marketing
  revenue 1_500_000 USD per quarter from amount
  average deal 25_000 USD
  funnel mql -> ready 40%
}
`;

/** BASE with the first occurrence of `from` replaced by `to`; fails loudly if `from` is absent. */
export function mutate(from: string, to: string, base = BASE): string {
  if (!base.includes(from)) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  return base.replace(from, to);
}

/** 1-based line number of the first line containing `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}

/** 1-based column of `needle` on its first line. */
export function columnOf(text: string, needle: string): number {
  const l = text.split("\n").find((x) => x.includes(needle));
  if (l === undefined) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return l.indexOf(needle) + 1;
}
