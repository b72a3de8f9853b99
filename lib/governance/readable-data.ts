import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Data a person may be given read access to: anything with `grantRead(grantee)`. A `Dataset` of a `DataStore`, a
 * whole `s3.IBucket`, or {@link ReadableData.fromBucket} for a key prefix of a bucket all fit.
 */
export interface IReadableData {
  /** Lets the grantee read the data (and decrypt it with its key). */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Readable data made from an S3 bucket and an optional key prefix.
 *
 * @example
 * ReadableData.fromBucket(datasets.bucket, 'datasets/customer-churn/');
 */
export class ReadableData implements IReadableData {
  /** Objects of `bucket` under `keyPrefix` (the whole bucket when no prefix is given). */
  public static fromBucket(bucket: s3.IBucket, keyPrefix?: string): IReadableData {
    return new ReadableData(bucket, keyPrefix);
  }

  private constructor(private readonly bucket: s3.IBucket, private readonly keyPrefix?: string) {}

  /** Read access (get and list, and decrypt on the bucket's key) to the objects under the prefix. */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee, this.keyPrefix ? `${this.keyPrefix}*` : '*');
  }
}
