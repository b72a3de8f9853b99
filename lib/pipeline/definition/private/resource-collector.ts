import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IModelRegistry } from '../../../core/model-registry-interface';
import type { ContainerImage, PipelineResources, S3Access, S3Location, S3LocationUsage, SageMakerJobType } from '../resources';

interface CollectedResources {
  readonly s3: S3LocationUsage[];
  readonly unscoped: S3LocationUsage[];
  readonly keys: Set<kms.IKey>;
  readonly images: Set<ContainerImage>;
  readonly registries: Set<IModelRegistry>;
  readonly groupNames: Set<string>;
  readonly functions: Set<lambda.IFunction>;
  readonly roles: Set<iam.IRole>;
  readonly jobs: Set<SageMakerJobType>;
  vpc: boolean;
}

/** Collects what the steps of a definition use (see `PipelineResources`); one view per step. */
export class ResourceCollector {
  private readonly state: CollectedResources;

  constructor(private readonly stepName: string = '', state?: CollectedResources) {
    this.state = state ?? {
      s3: [], unscoped: [], keys: new Set(), images: new Set(), registries: new Set(), groupNames: new Set(),
      functions: new Set(), roles: new Set(), jobs: new Set(), vpc: false,
    };
  }

  /** The same collection, recording for `stepName`. */
  public forStep(stepName: string): ResourceCollector {
    return new ResourceCollector(stepName, this.state);
  }

  public s3Location(location: S3Location | undefined, access: S3Access): void {
    if (!location) return;
    (location.bucket ? this.state.s3 : this.state.unscoped).push({ stepName: this.stepName, location, access });
  }
  public key(key: kms.IKey | undefined): void {
    if (key) this.state.keys.add(key);
  }
  public image(image: ContainerImage | undefined): void {
    if (image) this.state.images.add(image);
  }
  public registry(registry: IModelRegistry | undefined): void {
    if (registry) this.state.registries.add(registry);
  }
  public groupName(name: string | undefined): void {
    if (name) this.state.groupNames.add(name);
  }
  public lambdaFunction(fn: lambda.IFunction): void {
    this.state.functions.add(fn);
  }
  public role(role: iam.IRole | undefined): void {
    if (role) this.state.roles.add(role);
  }
  public job(type: SageMakerJobType): void {
    this.state.jobs.add(type);
  }
  public usesVpc(): void {
    this.state.vpc = true;
  }

  public result(): PipelineResources {
    const s = this.state;
    return {
      s3Locations: [...s.s3],
      unscopedS3Locations: [...s.unscoped],
      kmsKeys: [...s.keys],
      images: [...s.images],
      modelRegistries: [...s.registries],
      modelPackageGroupNames: [...s.groupNames],
      lambdaFunctions: [...s.functions],
      stepRoles: [...s.roles],
      jobTypes: [...s.jobs],
      usesVpc: s.vpc,
    };
  }
}
