import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { modelPackageGuard } from '../../lib/delivery/private/deploy-commands';

/**
 * Runs the guard the deployment builds run before `cdk deploy`, in bash, with a fake `aws` CLI on the PATH that
 * answers describe-model-package with the status given (and records its arguments).
 */
function runGuard(arn: string, status: string): { code: number; stderr: string; awsArgs: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
  const log = path.join(dir, 'aws-args');
  fs.writeFileSync(path.join(dir, 'aws'), `#!/bin/bash\necho "$@" > '${log}'\necho '${status}'\n`, { mode: 0o755 });
  try {
    execFileSync('bash', ['-c', `set -e\n${modelPackageGuard()}\necho deploy`], {
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        MODEL_PACKAGE_ARN: arn,
        MODEL_PACKAGE_ARN_PATTERN: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/*',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, stderr: '', awsArgs: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim() : '' };
  } catch (err: any) {
    return { code: err.status, stderr: String(err.stderr), awsArgs: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim() : '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const GOOD = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/7';

describe('model package guard (runs before every serving deployment)', () => {
  test('an approved version of the group passes, after asking SageMaker for its status', () => {
    const result = runGuard(GOOD, 'Approved');
    expect(result.code).toBe(0);
    expect(result.awsArgs).toBe(`sagemaker describe-model-package --model-package-name ${GOOD} --query ModelApprovalStatus --output text`);
  });

  test('a version that is no longer Approved is not deployed', () => {
    const result = runGuard(GOOD, 'Rejected');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`model package ${GOOD} is Rejected, not Approved: nothing deployed`);
  });

  test('the default variable value of a manual start is refused without calling AWS', () => {
    const result = runGuard('none', 'Approved');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("modelPackageArn must be a model package of arn:aws:sagemaker:eu-west-1:123456789012:model-package/recommendation/*, got 'none'");
    expect(result.awsArgs).toBe('');
  });

  test('a package of another group, or a malformed ARN, is refused', () => {
    expect(runGuard('arn:aws:sagemaker:eu-west-1:123456789012:model-package/other-model/3', 'Approved').code).toBe(1);
    const injected = runGuard(`${GOOD} ; echo pwned`, 'Approved');
    expect(injected.code).toBe(1);
    expect(injected.stderr).toContain('modelPackageArn is not a versioned model package ARN');
  });
});
