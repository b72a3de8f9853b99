import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ecrUrlSuffix, imageRegion, registryAccount, RegistryMap, REGISTRY_MAPS } from './private/registry';
import {
  SKLEARN_INFERENCE_VERSIONS,
  SKLEARN_TRAINING_VERSIONS,
  XGBOOST_CPU_PY3_VERSIONS,
  XGBOOST_VERSIONS,
} from './private/registries';
import { invalid, isUnresolved } from '../../private/validate';
import { ImageScope } from './image-scope';

/**
 * A prebuilt image resolved in one stack.
 */
export interface PrebuiltImageConfig {
  /** `<account>.dkr.ecr.<region>.<urlSuffix>/<repository>[:<tag>]` (tokens in an env-agnostic stack). */
  readonly imageUri: string;
  /** The ECR registry account that serves the image in the stack's region (a token in an env-agnostic stack). */
  readonly account: string;
  /** The ECR repository, e.g. `sagemaker-scikit-learn`. */
  readonly repositoryName: string;
}

/** What a {@link PrebuiltImage} is made of. */
interface ImageSpec {
  readonly label: string;
  readonly map: RegistryMap;
  readonly repositoryName: string;
  readonly tag?: string;
}

/** The scikit-learn version used when none is given: the newest one in both the training and inference scopes. */
const DEFAULT_SKLEARN_VERSION = '1.2-1';

/**
 * A SageMaker prebuilt container image (scikit-learn, XGBoost, Model Monitor analyzer, Clarify), resolved per stack
 * and region from the registry tables of the SageMaker Python SDK.
 *
 * In a stack with a concrete region the URI is a plain string; in an env-agnostic stack the registry account comes
 * from a region mapping (`Fn::FindInMap`) and a CloudFormation rule stops the deployment, before any resource is
 * touched, in a region that does not have the image.
 *
 * @example
 * const image = PrebuiltImage.sklearn('1.2-1', ImageScope.TRAINING);
 * const { imageUri } = image.bind(this);
 * image.grantPull(pipelineRole);
 */
export class PrebuiltImage {
  /**
   * The scikit-learn framework image (`sagemaker-scikit-learn:<version>-cpu-py3`), for training and processing jobs
   * (`ImageScope.TRAINING`) or models (`ImageScope.INFERENCE`).
   *
   * @param version framework version: training `0.20.0`, `0.23-1`, `1.0-1`, `1.2-1`, `1.4-2`; inference the same
   *   without `1.4-2`. A token is taken as is.
   * @param scope which image list the version must be in
   * @default version '1.2-1', scope ImageScope.TRAINING
   */
  public static sklearn(version: string = DEFAULT_SKLEARN_VERSION, scope: ImageScope = ImageScope.TRAINING): PrebuiltImage {
    const versions = scope === ImageScope.INFERENCE ? SKLEARN_INFERENCE_VERSIONS : SKLEARN_TRAINING_VERSIONS;
    if (!isUnresolved(version) && !versions.includes(version)) {
      const where = scope === ImageScope.INFERENCE ? ' (inference scope)' : '';
      invalid(undefined, 'sklearn version', `one of ${versions.join(', ')}${where}`, version);
    }
    return new PrebuiltImage({
      label: 'scikit-learn',
      map: REGISTRY_MAPS.framework,
      repositoryName: 'sagemaker-scikit-learn',
      tag: `${version}-cpu-py3`,
    });
  }

  /**
   * The XGBoost framework image (`sagemaker-xgboost:<version>`), the same for training and inference.
   *
   * Versions `0.90-1`, `0.90-2` and `1.0-1` are tagged `<version>-cpu-py3`; `1` is the legacy `xgboost:1` image from
   * its own registries. A token is taken as a version of the `<version>` tag format.
   *
   * @param version one of `1`, `0.90-1`, `0.90-2`, `1.0-1`, `1.2-1`, `1.2-2`, `1.3-1`, `1.5-1`, `1.7-1`, `3.0-5`, `3.2-0`
   */
  public static xgboost(version: string): PrebuiltImage {
    if (!isUnresolved(version) && !XGBOOST_VERSIONS.includes(version)) {
      invalid(undefined, 'xgboost version', `one of ${XGBOOST_VERSIONS.join(', ')}`, version);
    }
    if (version === '1') {
      return new PrebuiltImage({ label: 'XGBoost 1', map: REGISTRY_MAPS.xgboostLegacy, repositoryName: 'xgboost', tag: '1' });
    }
    return new PrebuiltImage({
      label: 'XGBoost',
      map: REGISTRY_MAPS.framework,
      repositoryName: 'sagemaker-xgboost',
      tag: XGBOOST_CPU_PY3_VERSIONS.includes(version) ? `${version}-cpu-py3` : version,
    });
  }

  /**
   * The Model Monitor analyzer (`sagemaker-model-monitor-analyzer`, untagged: SageMaker publishes it as latest),
   * which data-quality and model-quality baselining and monitoring jobs run.
   */
  public static modelMonitor(): PrebuiltImage {
    return new PrebuiltImage({
      label: 'Model Monitor',
      map: REGISTRY_MAPS.modelMonitor,
      repositoryName: 'sagemaker-model-monitor-analyzer',
    });
  }

  /** The Clarify processing image (`sagemaker-clarify-processing:1.0`) for bias and explainability jobs. */
  public static clarify(): PrebuiltImage {
    return new PrebuiltImage({
      label: 'Clarify',
      map: REGISTRY_MAPS.clarify,
      repositoryName: 'sagemaker-clarify-processing',
      tag: '1.0',
    });
  }

  /** The ECR repository of the image, e.g. `sagemaker-scikit-learn`. */
  public readonly repositoryName: string;
  /**
   * The image tag, e.g. `1.2-1-cpu-py3`.
   * @default - no tag (the Model Monitor analyzer is pulled as latest)
   */
  public readonly tag?: string;

  private constructor(private readonly spec: ImageSpec) {
    this.repositoryName = spec.repositoryName;
    this.tag = spec.tag;
  }

  /**
   * Resolves the image in the stack of `scope`: the registry account of the stack's region, and the full URI.
   * Throws when the stack's region is concrete and does not have the image.
   */
  public bind(scope: Construct): PrebuiltImageConfig {
    const stack = Stack.of(scope);
    const account = registryAccount(scope, this.spec.map, this.spec.label);
    const tag = this.tag !== undefined ? `:${this.tag}` : '';
    return {
      account,
      repositoryName: this.repositoryName,
      imageUri: `${account}.dkr.ecr.${imageRegion(stack)}.${ecrUrlSuffix(stack)}/${this.repositoryName}${tag}`,
    };
  }

  /**
   * Lets the grantee pull the image: `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer` on the image's repository
   * in the registry of the grantee's stack region, and `ecr:GetAuthorizationToken` (which takes no resource) on `*`,
   * limited to that region by `aws:RequestedRegion`.
   *
   * The `*` of `ecr:GetAuthorizationToken` is an `AwsSolutions-IAM5[Resource::*]` finding on the grantee's policy,
   * for the owner of the role to acknowledge.
   *
   * @param grantee a role or other grantable that is a construct, or whose principal is one (its stack is used)
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    const scope = constructOf(grantee);
    const stack = Stack.of(scope);
    const { account } = this.bind(scope);
    const repositoryArn = stack.formatArn({ service: 'ecr', account, resource: 'repository', resourceName: this.repositoryName });
    const pull = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resourceArns: [repositoryArn],
    });
    const token = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecr:GetAuthorizationToken'],
      resourceArns: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': imageRegion(stack) } },
    });
    return pull.combine(token);
  }
}

function constructOf(grantee: iam.IGrantable): IConstruct {
  if (Construct.isConstruct(grantee)) return grantee;
  if (Construct.isConstruct(grantee.grantPrincipal)) return grantee.grantPrincipal;
  throw new Error('grantPull grantee must be a construct (a role, function, ...) or have a construct as its principal, got a principal outside any stack');
}
