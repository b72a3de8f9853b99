import { Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { aws_sagemaker as sagemakerRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';

/**
 * A stand-in for the training pipeline in tests: an `sagemaker.IPipeline` whose grant is what aws-cdk-lib's own
 * pipeline targets expect (StartPipelineExecution on the pipeline ARN).
 */
export class FakePipeline extends Resource implements sagemaker.IPipeline {
  public readonly pipelineName: string;
  public readonly pipelineArn: string;

  constructor(scope: Construct, id: string, pipelineName = 'recommendation-training') {
    super(scope, id);
    this.pipelineName = pipelineName;
    this.pipelineArn = Stack.of(this).formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: pipelineName });
  }

  public get pipelineRef(): sagemakerRefs.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:StartPipelineExecution'], resourceArns: [this.pipelineArn] });
  }
}
