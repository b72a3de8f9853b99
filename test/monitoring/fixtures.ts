import { Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';

/** A stand-in for the serving team's ModelEndpoint: any `sagemaker.IEndpoint` works. */
export class FakeEndpoint extends Resource implements sagemaker.IEndpoint {
  public readonly endpointName: string;
  public readonly endpointArn: string;
  constructor(scope: Construct, id: string, endpointName: string) {
    super(scope, id);
    this.endpointName = endpointName;
    this.endpointArn = Stack.of(this).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: endpointName });
  }
  public get endpointRef(): sagemaker.EndpointReference {
    return { endpointArn: this.endpointArn };
  }
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }
}

/** A stand-in for the TrainingPipeline: any `sagemaker.IPipeline` works. */
export class FakePipeline extends Resource implements sagemaker.IPipeline {
  public readonly pipelineName: string;
  public readonly pipelineArn: string;
  constructor(scope: Construct, id: string, pipelineName: string) {
    super(scope, id);
    this.pipelineName = pipelineName;
    this.pipelineArn = Stack.of(this).formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: pipelineName });
  }
  public get pipelineRef(): sagemaker.PipelineReference {
    return { pipelineName: this.pipelineName };
  }
  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:StartPipelineExecution'], resourceArns: [this.pipelineArn] });
  }
}
