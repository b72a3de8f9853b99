import { Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';

/** A stand-in for the TrainingPipeline: a `sagemaker.IPipeline` backed by a CfnPipeline-free resource. */
export class FakeTrainingPipeline extends Resource implements sagemaker.IPipeline {
  public readonly pipelineName: string;
  public readonly pipelineArn: string;

  constructor(scope: Construct, id: string, name = 'training-pipeline') {
    super(scope, id);
    new iam.Role(this, 'Resource', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    this.pipelineName = name;
    this.pipelineArn = Stack.of(this).formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: name });
  }

  public get pipelineRef(): sagemaker.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:StartPipelineExecution'], resourceArns: [this.pipelineArn] });
  }
}
