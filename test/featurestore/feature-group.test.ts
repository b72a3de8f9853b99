import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { recommendationModel } from '../../examples/recommendation/model';
import { FeatureType } from '../../lib/featurestore/feature-definition';
import { FeatureGroup, FeatureGroupProps } from '../../lib/featurestore/feature-group';
import { featureGroupSchema } from '../../lib/stacks/private/feature-group-schema';

/** The schema the platform gives the example model's feature group (built from its dataset). */
const schema = featureGroupSchema(recommendationModel().dataset);

function newStack(): Stack {
  return new Stack(new App(), 'Features', { env: { account: '111122223333', region: 'us-east-1' } });
}

function synth(props: Partial<FeatureGroupProps> = {}, build?: (stack: Stack) => Partial<FeatureGroupProps>) {
  const stack = newStack();
  const group = new FeatureGroup(stack, 'UserFeatures', { ...schema, ...props, ...(build ? build(stack) : {}) });
  return { stack, group, template: Template.fromStack(stack) };
}

describe("the platform's schema of the example model's dataset", () => {
  // Unchanged from the schema the example's feature group always had: a changed schema would replace the group.
  test('is user_id, event_time, feature1 and feature2', () => {
    expect(schema).toEqual({
      features: [
        { name: 'user_id', type: FeatureType.STRING },
        { name: 'event_time', type: FeatureType.FRACTIONAL },
        { name: 'feature1', type: FeatureType.FRACTIONAL },
        { name: 'feature2', type: FeatureType.FRACTIONAL },
      ],
      recordIdentifierFeatureName: 'user_id',
      eventTimeFeatureName: 'event_time',
    });
  });
});

describe('FeatureGroup defaults', () => {
  const { group, template, stack } = synth();

  test('typed features, record identifier and event time, an online store encrypted with its own key', () => {
    template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: group.featureGroupName,
      RecordIdentifierFeatureName: 'user_id',
      EventTimeFeatureName: 'event_time',
      FeatureDefinitions: [
        { FeatureName: 'user_id', FeatureType: 'String' },
        { FeatureName: 'event_time', FeatureType: 'Fractional' },
        { FeatureName: 'feature1', FeatureType: 'Fractional' },
        { FeatureName: 'feature2', FeatureType: 'Fractional' },
      ],
      OnlineStoreConfig: {
        EnableOnlineStore: true,
        SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserFeaturesKey'), 'Arn'] } },
      },
      OfflineStoreConfig: Match.absent(),
      RoleArn: Match.absent(),
    });
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('the feature group and its key are retained; the key rotates', () => {
    template.hasResource('AWS::SageMaker::FeatureGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  test('the name comes from the construct path, within SageMaker\'s pattern', () => {
    expect(group.featureGroupName).toMatch(/^features-userfeatures-[0-9a-f]{8}$/);
    expect(group.featureGroupName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/);
    expect(stack.resolve(group.featureGroupArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:us-east-1:111122223333:feature-group/${group.featureGroupName}`]],
    });
  });

  test('a long path still gives a valid name of at most 64 characters, unique per path', () => {
    const stack = newStack();
    const deep = new FeatureGroup(stack, 'A'.repeat(80), schema);
    const other = new FeatureGroup(stack, 'A'.repeat(79) + 'B', schema);
    expect(deep.featureGroupName.length).toBeLessThanOrEqual(64);
    expect(deep.featureGroupName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/);
    expect(deep.featureGroupName).not.toEqual(other.featureGroupName);
  });
});

describe('FeatureGroup online store', () => {
  test.each([
    [Duration.days(14), { Unit: 'Weeks', Value: 2 }],
    [Duration.hours(36), { Unit: 'Hours', Value: 36 }],
    [Duration.minutes(90), { Unit: 'Minutes', Value: 90 }],
    [Duration.seconds(61), { Unit: 'Seconds', Value: 61 }],
  ])('a TTL of %s', (ttl, expected) => {
    synth({ onlineStoreTtl: ttl }).template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OnlineStoreConfig: Match.objectLike({ TtlDuration: expected }),
    });
  });

  test('can be turned off when there is an offline store', () => {
    synth({ onlineStore: false }, (s) => ({ offlineStoreBucket: s3.Bucket.fromBucketName(s, 'Data', 'data-bucket') }))
      .template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
        OnlineStoreConfig: Match.absent(),
        OfflineStoreConfig: Match.objectLike({}),
      });
  });
});

describe('FeatureGroup offline store', () => {
  const { group, template, stack } = synth({}, (s) => ({ offlineStoreBucket: s3.Bucket.fromBucketName(s, 'Data', 'data-bucket') }));
  const prefix = `feature-store/${group.featureGroupName}`;

  test('is written below its own prefix, encrypted with the key, without a Glue table', () => {
    expect(group.offlineStoreS3Uri).toBe(`s3://data-bucket/${prefix}`);
    template.hasResource('AWS::SageMaker::FeatureGroup', {
      Properties: Match.objectLike({
        OfflineStoreConfig: {
          S3StorageConfig: {
            S3Uri: `s3://data-bucket/${prefix}`,
            KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserFeaturesKey'), 'Arn'] },
          },
          DisableGlueTableCreation: true,
        },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserFeaturesRole'), 'Arn'] },
      }),
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^UserFeaturesRolePolicy')]),
    });
  });

  test('the role SageMaker assumes may write that prefix and use the key, nothing else', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'sagemaker.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        }],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'WriteOfflineStore',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:PutObjectAcl'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::data-bucket/${prefix}/*`]] },
          },
          {
            Sid: 'CheckOfflineStoreBucket',
            Effect: 'Allow',
            Action: 's3:GetBucketAcl',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::data-bucket']] },
          },
          {
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserFeaturesKey'), 'Arn'] },
          },
        ],
      },
    });
    expect(JSON.stringify(stack.resolve(Template.fromStack(stack).toJSON()))).not.toContain('glue:');
  });

  test('Glue table creation can be turned on; the role may then update the feature store tables', () => {
    const glue = synth({ disableGlueTableCreation: false }, (s) => ({ offlineStoreBucket: s3.Bucket.fromBucketName(s, 'Data', 'data-bucket') }));
    glue.template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OfflineStoreConfig: Match.objectLike({ DisableGlueTableCreation: false }),
    });
    glue.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'UpdateOfflineStoreTable',
          Effect: 'Allow',
          Action: ['glue:GetTable', 'glue:UpdateTable'],
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:us-east-1:111122223333:catalog']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:us-east-1:111122223333:database/sagemaker_featurestore']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:us-east-1:111122223333:table/sagemaker_featurestore/*']] },
          ],
        }]),
      },
    });
  });

  test('a given prefix and role are used as they are', () => {
    const own = synth({ offlineStorePrefix: '/features/users/' }, (s) => ({
      offlineStoreBucket: s3.Bucket.fromBucketName(s, 'Data', 'data-bucket'),
      role: new iam.Role(s, 'Own', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') }),
    }));
    own.template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OfflineStoreConfig: Match.objectLike({ S3StorageConfig: Match.objectLike({ S3Uri: 's3://data-bucket/features/users' }) }),
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Own'), 'Arn'] },
    });
    own.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Own') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'WriteOfflineStore' })]) },
    });
    own.template.resourceCountIs('AWS::IAM::Role', 1);
  });
});

describe('FeatureGroup validation', () => {
  const stack = newStack();
  let n = 0;
  const make = (props: Partial<FeatureGroupProps>) => () => new FeatureGroup(stack, `G${n++}`, { ...schema, ...props });

  test.each<[string, Partial<FeatureGroupProps>, string]>([
    ['record identifier not defined', { recordIdentifierFeatureName: 'item_id' },
      "recordIdentifierFeatureName must be one of the defined features (user_id, event_time, feature1, feature2), got 'item_id' (in Features/G0)"],
    ['event time not defined', { eventTimeFeatureName: 'ts' },
      "eventTimeFeatureName must be one of the defined features (user_id, event_time, feature1, feature2), got 'ts' (in Features/G1)"],
    ['event time of the wrong type', {
      features: [{ name: 'user_id', type: FeatureType.STRING }, { name: 'event_time', type: FeatureType.INTEGRAL }],
    }, "eventTimeFeatureName 'event_time' must be a feature of type Fractional or String, got 'Integral' (in Features/G2)"],
    ['record identifier of the wrong type', {
      features: [{ name: 'user_id', type: FeatureType.FRACTIONAL }, { name: 'event_time', type: FeatureType.STRING }],
    }, "recordIdentifierFeatureName 'user_id' must be a feature of type String or Integral, got 'Fractional' (in Features/G3)"],
    ['a reserved feature name', { features: [...schema.features, { name: 'write_time', type: FeatureType.STRING }] },
      "feature name must be none of the reserved names is_deleted, write_time, api_invocation_time, got 'write_time' (in Features/G4)"],
    ['a duplicate feature', { features: [...schema.features, { name: 'Feature1', type: FeatureType.STRING }] },
      "feature name must be unique in the feature group, got 'Feature1' (in Features/G5)"],
    ['a bad feature name', { features: [...schema.features, { name: 'bad name', type: FeatureType.STRING }] },
      "feature name must be 1 to 64 letters, digits, hyphens and underscores, starting and ending with a letter or digit, got 'bad name' (in Features/G6)"],
    ['no features', { features: [] }, "features must be 1 to 2500 feature definitions, got '0 features' (in Features/G7)"],
    ['a bad name', { featureGroupName: 'users_v1' },
      "featureGroupName must be 1 to 64 letters, digits and hyphens, starting and ending with a letter or digit, got 'users_v1' (in Features/G8)"],
    ['no store at all', { onlineStore: false },
      'onlineStore must be true when there is no offlineStoreBucket, got false: a feature group needs a store (in Features/G9)'],
    ['a TTL without online store', { onlineStore: false, onlineStoreTtl: Duration.days(1), offlineStoreBucket: s3.Bucket.fromBucketName(stack, 'B', 'bucket-b') },
      "onlineStoreTtl must be left out when onlineStore is false, got '1 day' (in Features/G10)"],
    ['a TTL below a second', { onlineStoreTtl: Duration.millis(500) },
      "onlineStoreTtl must be a whole number of seconds, at least 1, got '500 millis' (in Features/G11)"],
    ['an offline prefix without bucket', { offlineStorePrefix: 'features' },
      "offlineStorePrefix must be left out without an offlineStoreBucket, got 'features' (in Features/G12)"],
    ['Glue without bucket', { disableGlueTableCreation: false },
      'disableGlueTableCreation must be left out without an offlineStoreBucket, got false (in Features/G13)'],
    ['an empty prefix', { offlineStorePrefix: '/', offlineStoreBucket: s3.Bucket.fromBucketName(stack, 'C', 'bucket-c') },
      "offlineStorePrefix must be a non-empty key prefix such as 'feature-store/users', got '/' (in Features/G14)"],
    ['a description over 128 characters', { description: 'x'.repeat(129) },
      "description must be at most 128 characters, got '129 characters' (in Features/G15)"],
  ])('%s', (_name, props, message) => {
    expect(make(props)).toThrow(new Error(message));
  });
});

describe('FeatureGroup grants', () => {
  function grantsOf(grant: (group: FeatureGroup, role: iam.Role) => void) {
    const stack = newStack();
    const group = new FeatureGroup(stack, 'UserFeatures', schema);
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    grant(group, role);
    const arn = stack.resolve(group.featureGroupArn);
    return { template: Template.fromStack(stack), arn };
  }
  const kmsDecrypt = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserFeaturesKey'), 'Arn'] } };

  test.each<[string, (g: FeatureGroup, r: iam.Role) => void, string | string[]]>([
    ['grantPutRecord', (g, r) => g.grantPutRecord(r), 'sagemaker:PutRecord'],
    ['grantGetRecord', (g, r) => g.grantGetRecord(r), ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord']],
    ['grantRead', (g, r) => g.grantRead(r),
      ['sagemaker:DescribeFeatureGroup', 'sagemaker:DescribeFeatureMetadata', 'sagemaker:GetRecord', 'sagemaker:BatchGetRecord']],
  ])('%s: the SageMaker actions on this feature group and kms:Decrypt on its key', (_name, grant, actions) => {
    const { template, arn } = grantsOf(grant);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: arn }, kmsDecrypt] },
    });
  });

  test('an imported feature group grants on its lower-cased ARN, with the key when given', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const imported = FeatureGroup.fromFeatureGroupName(stack, 'Imported', 'Users-V1');
    expect(imported.featureGroupName).toBe('Users-V1');
    expect(imported.featureGroupRef).toEqual({ featureGroupName: 'Users-V1' });
    imported.grantGetRecord(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:111122223333:feature-group/users-v1']] },
        }],
      },
    });
    expect(() => FeatureGroup.fromFeatureGroupName(stack, 'Bad', 'bad_name')).toThrow(/^featureGroupName must be/);
  });

  test('the removal policy can be changed', () => {
    synth({ removalPolicy: RemovalPolicy.DESTROY }).template.hasResource('AWS::SageMaker::FeatureGroup', { DeletionPolicy: 'Delete' });
  });
});
