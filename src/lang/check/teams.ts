import type * as A from "../ast.js";
import type { CheckContext } from "./context.js";

export function teamApprovers(team: A.TeamBlock, file: string, ctx: CheckContext): void {
  if (team.approvers.length > 0) return;
  ctx.report(
    "E0103",
    `team '${team.id.name}' has no approvers; add 'approvers @user, @org/team' so its side can sign changes`,
    file,
    team.id.range,
  );
}
