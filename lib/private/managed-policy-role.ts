import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { displayPath } from './display-path';

/** Room left in each customer-managed policy (the quota is 6,144 characters without white space). */
const POLICY_BUDGET = 5000;

/** Managed policies IAM lets a role have attached by default (raised to at most 20 on request). */
const POLICIES_PER_ROLE = 10;

/**
 * An IAM role whose grants land in customer-managed policies (`AWS::IAM::ManagedPolicy`) attached to it, instead
 * of an inline default policy (`AWS::IAM::Policy`), which NIST 800-53 R5 (`IAMNoInlinePolicy`) does not allow.
 *
 * Works with every `grantXxx(role)` of the CDK: grants call `addToPrincipalPolicy`, which this role routes to its
 * managed policies, opening a new one when the current one would pass the managed-policy size quota.
 */
export class ManagedPolicyRole extends iam.Role {
  private readonly policies: iam.ManagedPolicy[] = [];
  private readonly sizes: number[] = [];

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const size = JSON.stringify(Stack.of(this).resolve(statement.toStatementJson())).length;
    let index = this.policies.length - 1;
    if (index < 0 || this.sizes[index] + size > POLICY_BUDGET) {
      const policy = new iam.ManagedPolicy(this, index < 0 ? 'Policy' : `Policy${index + 2}`, {
        description: `Least-privilege permissions of ${displayPath(this)}`,
        roles: [this],
      });
      this.policies.push(policy);
      this.sizes.push(0);
      index++;
      if (this.policies.length === POLICIES_PER_ROLE + 1) {
        Annotations.of(this).addWarningV2('cdk-mlops-maturity:managedPoliciesPerRole',
          `this role needs more than ${POLICIES_PER_ROLE} managed policies, IAM's default quota per role: ask for a higher `
          + '"Managed policies attached to an IAM role" quota (at most 20) before deploying, or give the role fewer resources');
      }
    }
    this.policies[index].addStatements(statement);
    this.sizes[index] += size;
    return { statementAdded: true, policyDependable: this.policies[index] };
  }
}
