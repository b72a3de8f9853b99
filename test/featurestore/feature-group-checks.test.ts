import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataStore } from '../../lib/data/data-store';
import { FeatureGroup } from '../../lib/featurestore/feature-group';
import { featureGroupSchema } from '../../lib/stacks/private/feature-group-schema';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

// One checked app for every shape of the construct with its secure defaults: online only, offline store in a
// bucket of another stack (a cross-stack reference), in a bucket of the same stack, and with the Glue table on.
const app = checkedApp();
const schema = featureGroupSchema({ name: 'customer-churn', label: 'churned', features: [{ name: 'tenure' }, { name: 'monthly_charges' }] });
const data = new Stack(app, 'Data');
const store = new DataStore(data, 'Store');
const features = new Stack(app, 'Features');
const online = new FeatureGroup(features, 'Online', schema);
const crossStack = new FeatureGroup(features, 'Offline', { ...schema, offlineStoreBucket: store.bucket });
new FeatureGroup(data, 'SameStack', { ...schema, offlineStoreBucket: store.bucket });
new FeatureGroup(features, 'WithGlue', {
  ...schema,
  offlineStoreBucket: s3.Bucket.fromBucketName(features, 'Imported', 'churn-data'),
  disableGlueTableCreation: false,
});

test('feature groups with their secure defaults synthesize with no cdk-nag or CloudFormation findings', () => {
  const { warnings } = synthAndCollectWarnings(app);
  expect(warnings).toEqual([]);
  expect(online.role).toBeUndefined();
  // The offline store of the cross-stack group points at the data bucket through an import.
  const template = Template.fromStack(features).toJSON();
  const group = template.Resources[features.getLogicalId(crossStack.resource)];
  expect(JSON.stringify(group.Properties.OfflineStoreConfig.S3StorageConfig.S3Uri)).toContain('Fn::ImportValue');
});
