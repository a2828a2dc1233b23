/** A generated policy set of N lead definitions and M SLAs: validate-large.ts and lsp-keystroke.ts time it. */
export function largePolicy(definitions: number, slas: number): string {
  const parts = [
    'agreement "Large" {\n  timezone "America/New_York"\n  calendar office\n}',
    "team marketing {\n  approvers @m\n}\nteam sales {\n  approvers @s\n}",
    "calendar office {\n  hours mon-fri 09:00-17:00\n}",
    'fields {\n  stage text one of ["lead", "mql", "sql"]\n  score number\n  country text\n  product text\n  owner text\n  at time\n  demo boolean\n}',
  ];
  for (let i = 0; i < definitions; i++) {
    const uses = i > 0 ? ` and (d${i - 1} or demo)` : "";
    parts.push(`lead d${i} "Definition ${i}" {\n  when score >= ${i % 100} and stage in ["mql", "sql"] and country is set${uses}\n  since at\n}`);
  }
  for (let i = 0; i < slas; i++) {
    const expect = i % 2 === 0 ? `expect count >= ${i}\n  per month\n  by product` : 'touches type in ["call"]\n  expect first touch within 5 business hours\n  target 90%\n  by owner';
    parts.push(`sla s${i} "SLA ${i}" {\n  owner ${i % 2 === 0 ? "marketing" : "sales"}\n  leads d${i % definitions}\n  ${expect}\n}`);
  }
  return `${parts.join("\n\n")}\n`;
}
