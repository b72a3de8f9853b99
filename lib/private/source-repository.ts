import { IConstruct } from 'constructs';
import { invalid, isUnresolved } from './validate';

// Checks of the source repository the delivery pipelines build from: shared by the delivery sources and the
// platform's source settings (context keys), which both name a connection, a repository and a branch.

/** A CodeConnections (or older CodeStar Connections) connection ARN. */
export function checkConnectionArn(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/.test(value)) {
    invalid(scope, name, "a connection ARN 'arn:aws:codeconnections:<region>:<account>:connection/<id>'", value);
  }
}

/** Repository as `owner/repo` (GitLab subgroups allowed: `group/subgroup/repo`). */
export function checkRepository(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) return;
  if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/.test(value) || value.split('/').some((p) => p === '.' || p === '..')) {
    invalid(scope, name, "'owner/repo' (letters, digits, '.', '_', '-')", value);
  }
}

/** A git branch name (a simplified form of `git check-ref-format --branch`). */
export function checkBranch(scope: IConstruct | undefined, name: string, value: string): void {
  if (isUnresolved(value)) return;
  const ok = /^[A-Za-z0-9._\/-]+$/.test(value) && !value.startsWith('-') && !value.startsWith('/') && !value.endsWith('/')
    && !value.endsWith('.lock') && !value.includes('..') && !value.includes('//');
  if (!ok) invalid(scope, name, "a git branch name such as 'main' (letters, digits, '.', '_', '-', '/')", value);
}
