import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataStore, ModelPipeline, ModelPipelineProps, ModelRegistry, PlatformModel } from '../../lib';
import { checkedApp } from '../support/checks';
import { pipelineDefinitionOf, stepsByName } from '../support/pipeline-definition';

export const ENV = { account: '123456789012', region: 'eu-west-1' };

/** The settings of a ModelPipeline besides the model and the stores. */
export type PipelineOptions = Partial<Omit<ModelPipelineProps, 'model' | 'dataset' | 'artifactStore' | 'registry'>>;

/**
 * A model's pipeline in a stack with its data stores and registry (the model may be made in that stack). `checked`: in an app that runs cdk-nag and the
 * CloudFormation validator on synth (throws on any finding); the template, definition and steps by name.
 */
export function synthModel(modelOrFactory: PlatformModel | ((stack: Stack) => PlatformModel), options: PipelineOptions = {}, checked = true) {
  const app = checked ? checkedApp() : new App();
  const stack = new Stack(app, 'Training', { env: ENV });
  const model = typeof modelOrFactory === 'function' ? modelOrFactory(stack) : modelOrFactory;
  const datasets = new DataStore(stack, 'Datasets');
  const built = new ModelPipeline(stack, 'Model', {
    model, dataset: datasets.dataset(model.dataset.name), artifactStore: new DataStore(stack, 'Artifacts'),
    registry: new ModelRegistry(stack, 'Registry'), ...options,
  });
  app.synth();
  const template = Template.fromStack(stack);
  const definition = pipelineDefinitionOf(template.toJSON());
  return { stack, built, template, definition, steps: stepsByName(definition) };
}

/** Builds a model's pipeline without synthesizing: for inputs that stop synth. */
export function buildModel(model: PlatformModel, options: PipelineOptions = {}): () => ModelPipeline {
  const stack = new Stack(new App(), 'Training', { env: ENV });
  const datasets = new DataStore(stack, 'Datasets');
  return () => new ModelPipeline(stack, 'Model', {
    model, dataset: datasets.dataset(model.dataset.name), artifactStore: new DataStore(stack, 'Artifacts'),
    registry: new ModelRegistry(stack, 'Registry'), ...options,
  });
}

/** A folder with the given script files (contents are what the tests need to tell them apart). */
export function scriptsFolder(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-scripts-'));
  for (const file of files) fs.writeFileSync(path.join(dir, file), `# ${file} of a test model\n`);
  return dir;
}

/** The `[name, image]` of each job step: which image each step runs. */
export function stepImages(steps: { [name: string]: any }): { [name: string]: string } {
  const image = (s: any) => s.Arguments.AppSpecification?.ImageUri ?? s.Arguments.AlgorithmSpecification?.TrainingImage
    ?? s.Arguments.TrainingJobDefinition?.AlgorithmSpecification.TrainingImage;
  return Object.fromEntries(Object.entries(steps).filter(([, s]) => ['Processing', 'Training', 'Tuning'].includes(s.Type)).map(([n, s]) => [n, image(s)]));
}
