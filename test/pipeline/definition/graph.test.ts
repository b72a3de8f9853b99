import * as iam from 'aws-cdk-lib/aws-iam';
import {
  Condition, ConditionStep, ContainerImage, FailStep, JsonGet, PipelineDefinition, PipelineParameter, ProcessingStep, S3Location, StepProperty, TrainingStep,
} from '../../../lib/pipeline/definition';
import { sampleResources, sampleStack } from './fixtures';

const stack = sampleStack();
const r = sampleResources(stack);
const role = iam.Role.fromRoleArn(stack, 'PipelineRole', 'arn:aws:iam::111122223333:role/Pipeline');
const image = ContainerImage.fromUri('763104351884.dkr.ecr.us-east-1.amazonaws.com/x:1');
const evaluate = () => new ProcessingStep('Evaluate', {
  image,
  outputs: [{ outputName: 'evaluation', source: '/opt/ml/processing/evaluation', destination: S3Location.fromBucket(r.artifacts, 'eval') }],
  propertyFiles: [{ name: 'EvaluationReport', outputName: 'evaluation', path: 'evaluation.json' }],
});
const train = (name = 'Train', extra: any = {}) => new TrainingStep(name, { image, output: S3Location.fromBucket(r.artifacts, 'models'), ...extra });

function errors(definition: PipelineDefinition): string[] {
  return definition.validate({ role });
}

test('a valid graph has no errors and renders', () => {
  const e = evaluate();
  const d = new PipelineDefinition({ steps: [e, new ConditionStep('Check', { conditions: [Condition.greaterThan(e.jsonGet('EvaluationReport', 'a.b'), 0.5)] })] });
  expect(errors(d)).toEqual([]);
  expect(() => d.render({ role })).not.toThrow();
});

test('step names: unique, SageMaker pattern, at most 64 characters', () => {
  expect(errors(new PipelineDefinition({ steps: [train('Train'), train('Train')] }))).toEqual(["step 'Train': name is used by another step; step names must be unique"]);
  expect(errors(new PipelineDefinition({ steps: [train('Train Model')] }))).toEqual(["step 'Train Model': name must be 1 to 64 letters, digits, '-' or '_'"]);
  expect(errors(new PipelineDefinition({ steps: [train('T'.repeat(65))] }))).toEqual([`step '${'T'.repeat(65)}': name must be 1 to 64 letters, digits, '-' or '_'`]);
  const t = train();
  expect(errors(new PipelineDefinition({ steps: [t, new ConditionStep('C', { conditions: [Condition.equals(1, 1)], ifSteps: [t] })] })))
    .toEqual(["step 'Train': appears more than once in the definition; a step may be listed only once"]);
});

test('a reference to a step that is not in the definition', () => {
  const t = train();
  const e = new FailStep('Fail', { errorMessage: t.modelArtifactsS3Uri });
  expect(errors(new PipelineDefinition({ steps: [e] }))).toEqual([
    "step 'Fail': property Steps.Train.ModelArtifacts.S3ModelArtifacts points at step 'Train', which is not in the definition (steps: 'Fail')",
  ]);
  const byName = new FailStep('Fail2', { errorMessage: StepProperty.fromStepName('Trian', 'TrainingJobName').asString() });
  expect(errors(new PipelineDefinition({ steps: [t, byName] }))).toEqual([
    "step 'Fail2': property Steps.Trian.TrainingJobName points at step 'Trian', which is not in the definition (steps: 'Train', 'Fail2')",
  ]);
});

test('a reference to a property the step type does not have', () => {
  const t = train();
  const f = new FailStep('Fail', { errorMessage: StepProperty.of(t, "ProcessingOutputConfig.Outputs['x'].S3Output.S3Uri").asString() });
  const [error] = errors(new PipelineDefinition({ steps: [t, f] }));
  expect(error).toMatch(/^step 'Fail': property Steps\.Train\.ProcessingOutputConfig\.Outputs\['x'\]\.S3Output\.S3Uri reads 'ProcessingOutputConfig', which a Training step does not have \(it has: TrainingJobName, .*ModelArtifacts, FinalMetricDataList/);
  const c = new ConditionStep('C', { conditions: [Condition.equals(1, 1)] });
  expect(errors(new PipelineDefinition({ steps: [c, new FailStep('F', { errorMessage: StepProperty.of(c, 'Result').asString() })] })))
    .toEqual(["step 'F': property Steps.C.Result reads 'Result', which a Condition step does not have (it has: Outcome)"]);
});

test('a parameter that is not declared', () => {
  const epochs = PipelineParameter.integer('Epochs', { defaultValue: 3 });
  const other = PipelineParameter.string('Other');
  const t = train('Train', { hyperparameters: { epochs: epochs.asString() } });
  expect(errors(new PipelineDefinition({ steps: [t], parameters: [other] }))).toEqual([
    "step 'Train': reads parameter 'Epochs', which is not declared in the definition's parameters (declared: 'Other')",
  ]);
  expect(errors(new PipelineDefinition({ steps: [t], parameters: [epochs] }))).toEqual([]);
  expect(errors(new PipelineDefinition({ steps: [t], parameters: [epochs, PipelineParameter.integer('Epochs')] }))).toEqual([
    "parameter 'Epochs': declared more than once",
  ]);
});

test('Std:JsonGet on a property file the step does not declare', () => {
  const e = evaluate();
  const c = new ConditionStep('Check', { conditions: [Condition.greaterThan(JsonGet.fromPropertyFile(e, 'Metrics', 'accuracy'), 0.5)] });
  expect(errors(new PipelineDefinition({ steps: [e, c] }))).toEqual([
    "step 'Check': Std:JsonGet reads property file 'Metrics' of step 'Evaluate', which declares only 'EvaluationReport'",
  ]);
  const t = train();
  const c2 = new ConditionStep('Check2', { conditions: [Condition.greaterThan(JsonGet.fromPropertyFile(t, 'Metrics', 'accuracy'), 0.5)] });
  expect(errors(new PipelineDefinition({ steps: [t, c2] }))).toEqual([
    "step 'Check2': Std:JsonGet reads property file 'Metrics' of step 'Train', which declares no property files",
  ]);
});

test('cycles through DependsOn and data references', () => {
  const a = train('A');
  const b = new FailStep('B', { errorMessage: a.trainingJobName });
  a.addDependsOn(b);
  expect(errors(new PipelineDefinition({ steps: [a, b] }))).toEqual([
    "step 'B': depends on itself through A -> B -> A (DependsOn and property references must not form a cycle)",
  ]);
  const self = new FailStep('Self', { errorMessage: StepProperty.fromStepName('Self', 'Whatever').asString() });
  expect(errors(new PipelineDefinition({ steps: [self] }))).toEqual([
    "step 'Self': property Steps.Self.Whatever reads 'Whatever', which a Fail step does not have (it has: no properties)",
    "step 'Self': depends on itself through Self -> Self (DependsOn and property references must not form a cycle)",
  ]);
});

test('DependsOn on a step outside the definition', () => {
  const outside = train('Outside');
  expect(errors(new PipelineDefinition({ steps: [train('T', { dependsOn: [outside] })] }))).toEqual([
    "step 'T': DependsOn names step 'Outside', which is not in the definition (steps: 'T')",
  ]);
});

test('render throws all errors, one line each', () => {
  const d = new PipelineDefinition({ steps: [train('A'), train('A'), train('B b')] });
  expect(() => d.render({ role })).toThrow("Invalid pipeline definition:\nstep 'A': name is used by another step; step names must be unique\nstep 'B b': name must be 1 to 64 letters, digits, '-' or '_'");
});
