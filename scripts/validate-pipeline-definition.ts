/**
 * Dev tool: validates rendered pipeline definitions against the patched SageMaker pipeline-definition JSON schema
 * (`../shared/reference/pipeline-schema/`, not part of the package).
 *
 *   npx ts-node --transpile-only scripts/validate-pipeline-definition.ts [definition.json ...]
 *
 * Without arguments it renders the sample definition of the tests (every step type), resolves its CDK tokens to
 * placeholders and validates that.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as iam from 'aws-cdk-lib/aws-iam';
import { sampleDefinition, sampleStack } from '../test/pipeline/definition/fixtures';

const SCHEMA = path.join(__dirname, '..', '..', 'shared', 'reference', 'pipeline-schema', 'pipeline-definition.schema.patched.json');

/** Replaces CloudFormation intrinsics (what tokens resolve to) by placeholder strings, as a deployed definition has. */
function placeholders(value: any): any {
  if (Array.isArray(value)) return value.map(placeholders);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return `<${keys[0]}>`;
    return Object.fromEntries(keys.map((k) => [k, placeholders(value[k])]));
  }
  return value;
}

/**
 * Known gap of the patched schema: CreateModel's `PrimaryContainer.ModelDataUrl` accepts only a literal s3:// string,
 * but the SDK writes a step property there (`{ Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }`, or the
 * `Std:Join` of a tuning step's top model). Such expressions are swapped for a literal before validating.
 */
function bridgeSchemaGaps(value: any, notes: string[], where = ''): any {
  if (Array.isArray(value)) return value.map((v, i) => bridgeSchemaGaps(v, notes, `${where}/${i}`));
  if (value && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'PrimaryContainer' && v && typeof (v as any).ModelDataUrl === 'object') {
        notes.push(`${where}/PrimaryContainer/ModelDataUrl: expression swapped for a literal (schema gap)`);
        out[k] = { ...(v as any), ModelDataUrl: 's3://expression/model.tar.gz' };
      } else {
        out[k] = bridgeSchemaGaps(v, notes, `${where}/${k}`);
      }
    }
    return out;
  }
  return value;
}

function main(): void {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
  const inputs: { name: string; json: any }[] = process.argv.slice(2).map((file) => ({ name: file, json: JSON.parse(fs.readFileSync(file, 'utf8')) }));
  if (inputs.length === 0) {
    const stack = sampleStack();
    const role = iam.Role.fromRoleArn(stack, 'PipelineRole', 'arn:aws:iam::111122223333:role/Pipeline');
    const rendered = sampleDefinition(stack).render({ role });
    inputs.push({ name: 'sample definition', json: placeholders(stack.resolve(rendered)) });
    if (process.env.PRINT) console.log(JSON.stringify(inputs[0].json, null, 2));
  }
  let failed = false;
  for (const input of inputs) {
    const notes: string[] = [];
    const json = bridgeSchemaGaps(input.json, notes);
    const name = input.name;
    notes.forEach((n) => console.log(`${name}: note: ${n}`));
    if (validate(json)) {
      console.log(`${name}: valid`);
    } else {
      failed = true;
      console.log(`${name}: INVALID`);
      for (const e of validate.errors ?? []) console.log(`  ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main();
