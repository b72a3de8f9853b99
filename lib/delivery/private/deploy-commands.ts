import { contextArgs } from './cdk';
import { MaturityLevel } from '../../core/maturity-level';

/** Name of the CodePipeline variable (and of the CDK context key) that carries the approved model package ARN. */
export const MODEL_PACKAGE_ARN_VARIABLE = 'modelPackageArn';

/**
 * Shell guard run before every deployment: the ARN the pipeline was started with must be a version of the
 * registry's group (`MODEL_PACKAGE_ARN_PATTERN`, `arn:...:model-package/<group>/*`), well formed, and still
 * `Approved` in SageMaker; otherwise the build stops and nothing is deployed.
 */
export function modelPackageGuard(): string {
  return [
    'PREFIX="${MODEL_PACKAGE_ARN_PATTERN%\\*}"',
    'case "$MODEL_PACKAGE_ARN" in "$PREFIX"*) ;; *) echo "modelPackageArn must be a model package of $PREFIX*, got \'$MODEL_PACKAGE_ARN\'" >&2; exit 1;; esac',
    'if ! [[ "$MODEL_PACKAGE_ARN" =~ ^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/[A-Za-z0-9-]+/[0-9]+$ ]]; then echo "modelPackageArn is not a versioned model package ARN: \'$MODEL_PACKAGE_ARN\'" >&2; exit 1; fi',
    'STATUS="$(aws sagemaker describe-model-package --model-package-name "$MODEL_PACKAGE_ARN" --query ModelApprovalStatus --output text)"',
    'if [ "$STATUS" != "Approved" ]; then echo "model package $MODEL_PACKAGE_ARN is $STATUS, not Approved: nothing deployed" >&2; exit 1; fi',
  ].join('\n');
}

/**
 * `npx cdk deploy <stacks> --exclusively -c level=<n> -c <packageContextKey>="$MODEL_PACKAGE_ARN" [context] [-c deployAccount -c deployRegion]`
 * (`packageContextKey` is `modelPackageArn`, or `modelPackageArn.<model>` on a platform with several models):
 * the serving stacks, and only them (not the data and training stacks they depend on, which the team's deployment
 * owns), are deployed through CloudFormation with the approved ARN.
 */
export function servingDeployCommand(
  stacks: string[], level: MaturityLevel, context: { [key: string]: string }, target?: { account: string; region: string },
  packageContextKey: string = MODEL_PACKAGE_ARN_VARIABLE,
): string {
  const extra = { ...context };
  if (target) {
    extra.deployAccount = target.account;
    extra.deployRegion = target.region;
  }
  return [
    'npx cdk deploy',
    ...stacks.map((s) => `'${s}'`),
    '--exclusively --require-approval never --progress events',
    `-c level=${level}`,
    `-c ${packageContextKey}="$MODEL_PACKAGE_ARN"`,
    contextArgs(extra),
  ].filter((p) => p !== '').join(' ');
}
