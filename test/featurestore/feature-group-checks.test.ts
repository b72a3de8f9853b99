import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataStore } from '../../lib/data/data-store';
import { FeatureGroupSchemas } from '../../lib/featurestore/feature-definition';
import { FeatureGroup } from '../../lib/featurestore/feature-group';
import { checkedApp, synthAndCollectWarnings } from '../support/checks';

// One checked app for every shape of the construct with its secure defaults: online only, offline store in a
// bucket of another stack (a cross-stack reference), in a bucket of the same stack, and with the Glue table on.
const app = checkedApp();
const data = new Stack(app, 'Data');
const store = new DataStore(data, 'Store');
const features = new Stack(app, 'Features');
const online = new FeatureGroup(features, 'Online', FeatureGroupSchemas.recommendation());
const crossStack = new FeatureGroup(features, 'Offline', { ...FeatureGroupSchemas.recommendation(), offlineStoreBucket: store.bucket });
new FeatureGroup(data, 'SameStack', { ...FeatureGroupSchemas.recommendation(), offlineStoreBucket: store.bucket });
new FeatureGroup(features, 'WithGlue', {
  ...FeatureGroupSchemas.recommendation(),
  offlineStoreBucket: s3.Bucket.fromBucketName(features, 'Imported', 'recommendation-data'),
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
