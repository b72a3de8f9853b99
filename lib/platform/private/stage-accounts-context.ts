import { DeploymentStageTarget } from '../../delivery/deployment-stage-target';
import { contextText } from '../../settings/settings-context';
import { invalid } from '../../private/validate';

/** `staging:111111111111:eu-west-1,prod:...` for a list of stages (what the `stageAccounts` context key takes). */
export function stageAccountsToContext(stages: DeploymentStageTarget[]): string {
  return stages.map((s) => `${s.name}:${s.account}:${s.region}`).join(',');
}

/** The stages of a `stageAccounts` context value; a bad value throws one line naming the key. */
export function stageAccountsFromContext(raw: unknown): DeploymentStageTarget[] | undefined {
  const value = contextText(raw);
  if (value === undefined) return undefined;
  const allowed = "a comma-separated list of '<stage>:<12-digit account>:<region>' (e.g. 'staging:111111111111:eu-west-1,prod:222222222222:eu-west-1')";
  const stages = value.split(',').map((entry) => {
    const m = /^([A-Za-z][A-Za-z0-9-]{0,31}):(\d{12}):([a-z]{2}(?:-[a-z]+)+-\d)$/.exec(entry.trim());
    if (!m) invalid(undefined, 'stageAccounts', allowed, raw);
    return { name: m[1], account: m[2], region: m[3] };
  });
  const names = stages.map((s) => s.name);
  if (names.some((n, i) => names.indexOf(n) !== i)) invalid(undefined, 'stageAccounts', 'a list of stages with unique names', raw);
  return stages;
}
