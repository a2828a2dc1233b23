/** The parts of a preset's agreement that do not depend on the CRM: the parties and the office calendar. */

/** policies/agreement.policy: the agreement block, the teams, the calendar, then the CRM's columns. */
export function agreementFile(crmComment: string, zoneComment: string, columns: string): string {
  return `# Our smarketing agreement: what Marketing and Sales owe each other.
# Change it with a pull request; it merges when both teams have approved.
${crmComment}
agreement "Our smarketing SLA" {
  version 1
  effective 2027-01-01
  timezone "America/New_York"  # ${zoneComment}
  calendar office              # business hours for "business" durations
}

# Replace the handles with your GitHub users or org teams.
team marketing "Marketing" {
  approvers @your-org/marketing-leads
}

team sales "Sales" {
  approvers @your-org/sales-managers
}

calendar office {
  hours mon-fri 09:00-17:00
  holidays 2027-01-01, 2027-05-31, 2027-07-05, 2027-09-06, 2027-11-25, 2027-12-24
}
${columns}`;
}

/** The sample's snapshot.yaml. */
export function manifest(crm: string, asOf: string): string {
  return `# A small sample ${crm} export, generated; replace it with yours (one folder per export).\nas_of: ${asOf}\nsource: sample ${crm} export written by smarketing-policy init --crm\n`;
}
