import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { checkedApp } from './checks';

/**
 * What jest.config.js changes for speed changes nothing that a test relies on: apps with cdk.json's validation flag
 * still fail synthesis on a CloudFormation validator error (run by the validator shared per worker,
 * test/support/test-environment.js; test/platform/levels.test.ts also runs rules of it directly, and checks each
 * accepted finding still occurs), and only apps without it skip the validator
 * (test/support/unchecked-apps-skip-validator.ts), whose findings they would only downgrade to warnings.
 */
const invalidBucket = (app: App): void => {
  new CfnResource(new Stack(app, 'Invalid'), 'Bucket', { type: 'AWS::S3::Bucket', properties: { VersioningConfiguration: 'on' } });
};

test('a checked app still fails synthesis on a CloudFormation validator error', () => {
  const app = checkedApp();
  invalidBucket(app);
  expect(() => app.synth()).toThrow(/VersioningConfiguration/);
});

test('an app without the flag skips the validator: no validation report', () => {
  const app = new App();
  invalidBucket(app);
  const assembly = app.synth();
  expect(fs.existsSync(path.join(assembly.directory, 'validation-report.json'))).toBe(false);
  // Without the setup file aws-cdk-lib would have validated and written the (downgraded) finding.
  const unpatched = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  invalidBucket(unpatched);
  process.env.CDK_VALIDATION = 'true';
  try {
    const report = path.join(unpatched.synth().directory, 'validation-report.json');
    expect(fs.readFileSync(report, 'utf8')).toContain('VersioningConfiguration');
  } finally {
    delete process.env.CDK_VALIDATION;
  }
});
