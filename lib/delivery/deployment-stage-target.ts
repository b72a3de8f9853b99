/**
 * An environment the deployment pipeline deploys the serving stack to, through the CDK bootstrap roles of that
 * account (`cdk bootstrap --trust <pipeline account> aws://<account>/<region>`).
 */
export interface DeploymentStageTarget {
  /** Name of the stage, e.g. `staging` or `prod`: the pipeline stage is `Deploy-<name>`. */
  readonly name: string;
  /** The 12-digit AWS account id. */
  readonly account: string;
  /** The region, e.g. `eu-west-1`. */
  readonly region: string;
}
