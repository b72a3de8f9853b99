import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ModelPackageBaselinesProvider } from './private/baselines-provider';
import { invalid, isUnresolved } from '../private/validate';

/** Properties of {@link ModelPackageBaselines}. */
export interface ModelPackageBaselinesProps {
  /**
   * ARN of the model package (registry version) that is deployed, e.g.
   * `arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn/3`.
   */
  readonly modelPackageArn: string;

  /**
   * Also read the model-quality baseline (`DriftCheckBaselines.ModelQuality.Statistics/Constraints`). The
   * deployment fails if the model package has none, so only turn this on when the training pipeline registers it.
   * The four S3 URIs then travel in one custom-resource response, which CloudFormation limits to 4,096 bytes: they
   * must stay under about 750 characters each (the platform's pipeline writes URIs of under 300).
   * @default false
   */
  readonly includeModelQuality?: boolean;
}

/** A model package ARN: `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>` (or unversioned). */
const MODEL_PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[A-Za-z0-9](-*[A-Za-z0-9]){0,62}(\/\d+)?$/;

/**
 * The drift-check baselines of one model package, read at deploy time, so the monitors always compare live traffic
 * with the baselines computed for the model that is actually deployed.
 *
 * A custom resource calls `DescribeModelPackage` (allowed on that model package only) when the stack is created and
 * whenever the ARN changes, and exposes the S3 URIs of `DriftCheckBaselines.ModelDataQuality` (statistics.json,
 * constraints.json) and, optionally, `DriftCheckBaselines.ModelQuality` as string tokens.
 *
 * @example
 * const baselines = new ModelPackageBaselines(this, 'Baselines', { modelPackageArn });
 * new ModelMonitor(this, 'Monitor', {
 *   endpoint, dataQualityStatisticsS3Uri: baselines.dataQualityStatisticsS3Uri,
 *   dataQualityConstraintsS3Uri: baselines.dataQualityConstraintsS3Uri, ...
 * });
 */
export class ModelPackageBaselines extends Construct {
  /** S3 URI of the data-quality baseline statistics (`statistics.json`). */
  public readonly dataQualityStatisticsS3Uri: string;
  /** S3 URI of the data-quality baseline constraints (`constraints.json`). */
  public readonly dataQualityConstraintsS3Uri: string;
  /** S3 URI of the model-quality baseline statistics, when `includeModelQuality` is on. */
  public readonly modelQualityStatisticsS3Uri?: string;
  /** S3 URI of the model-quality baseline constraints, when `includeModelQuality` is on. */
  public readonly modelQualityConstraintsS3Uri?: string;
  /** The model package whose baselines these are. */
  public readonly modelPackageArn: string;

  constructor(scope: Construct, id: string, props: ModelPackageBaselinesProps) {
    super(scope, id);
    if (!isUnresolved(props.modelPackageArn) && !MODEL_PACKAGE_ARN.test(props.modelPackageArn)) {
      invalid(this, 'modelPackageArn', "a model package ARN like 'arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>'", props.modelPackageArn);
    }
    this.modelPackageArn = props.modelPackageArn;

    const dataQuality = 'DriftCheckBaselines.ModelDataQuality';
    const modelQuality = 'DriftCheckBaselines.ModelQuality';
    const paths = [`${dataQuality}.Statistics.S3Uri`, `${dataQuality}.Constraints.S3Uri`];
    if (props.includeModelQuality) paths.push(`${modelQuality}.Statistics.S3Uri`, `${modelQuality}.Constraints.S3Uri`);

    const describe: cr.AwsSdkCall = {
      service: 'SageMaker',
      action: 'describeModelPackage',
      parameters: { ModelPackageName: props.modelPackageArn },
      // A new ARN is a new physical id: the baselines are read again for the newly deployed model.
      physicalResourceId: cr.PhysicalResourceId.of(props.modelPackageArn),
      outputPaths: paths,
    };
    // The provider Lambda runs with a stack-wide role of customer-managed policies; this construct adds only
    // DescribeModelPackage on its own model package to it (no AWS managed or inline policy).
    const provider = ModelPackageBaselinesProvider.of(this);
    const grant = provider.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:DescribeModelPackage'],
      resources: [props.modelPackageArn],
    }));
    const resource = new cr.AwsCustomResource(this, 'DescribeModelPackage', {
      resourceType: 'Custom::ModelPackageBaselines',
      onCreate: describe,
      onUpdate: describe,
      role: provider.role,
      logGroup: provider.logGroup,
      installLatestAwsSdk: false,
    });
    if (grant.policyDependable) resource.node.addDependency(grant.policyDependable);
    acknowledgeProviderFindings(Stack.of(this));

    this.dataQualityStatisticsS3Uri = resource.getResponseField(paths[0]);
    this.dataQualityConstraintsS3Uri = resource.getResponseField(paths[1]);
    if (props.includeModelQuality) {
      this.modelQualityStatisticsS3Uri = resource.getResponseField(paths[2]);
      this.modelQualityConstraintsS3Uri = resource.getResponseField(paths[3]);
    }
  }
}

/**
 * The findings left on the AwsCustomResource provider Lambda (a stack-level singleton), each with its reason.
 */
function acknowledgeProviderFindings(stack: Stack): void {
  const fn = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!fn) return;
  Validations.of(fn).acknowledge({
    id: 'NIST.800.53.R5-LambdaInsideVPC',
    reason: 'the baselines reader only calls the SageMaker control-plane API (DescribeModelPackage) during deployments; it reads no data and needs no network path into a VPC',
  });
  Validations.of(fn).acknowledge({
    id: 'NIST.800.53.R5-LambdaDLQ',
    reason: 'CloudFormation invokes the baselines reader and waits for its answer: a failure fails and rolls back the deployment, so no event can be lost silently',
  });
  Validations.of(fn).acknowledge({
    id: 'NIST.800.53.R5-LambdaConcurrency',
    reason: 'the baselines reader runs once per deployment; reserving concurrency would take from the account\'s unreserved pool, which CloudFormation refuses to lower below its minimum in new accounts',
  });
}
