import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { DataStore } from './data-store';
import { InputError } from '../private/validate';

/**
 * A named dataset: a key prefix inside a {@link DataStore}, so a pipeline can be given
 * "the customer-churn dataset" rather than a string.
 *
 * @example
 * const churn = datasets.dataset('customer-churn');
 * churn.s3Uri; // s3://<bucket>/datasets/customer-churn/
 */
export class Dataset {
  /** The dataset's name. */
  public readonly name: string;
  /** The key prefix of the dataset inside the store, ending in `/`. */
  public readonly prefix: string;
  /** The store that holds the dataset. */
  public readonly store: DataStore;

  constructor(store: DataStore, name: string, prefix?: string) {
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)) {
      throw new InputError(store, `dataset name must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, got '${name}'`);
    }
    const effective = prefix ?? `datasets/${name}/`;
    if (effective.startsWith('/') || !effective.endsWith('/')) {
      throw new InputError(store, `dataset prefix must not start with '/' and must end with '/', got '${effective}'`);
    }
    this.store = store;
    this.name = name;
    this.prefix = effective;
  }

  /** `s3://<bucket>/<prefix>`: the dataset's location, for pipeline inputs. */
  public get s3Uri(): string {
    return this.store.s3Uri(this.prefix);
  }

  /** `s3://<bucket>/<prefix><key>` for one object of the dataset. */
  public s3UriForObject(key: string): string {
    return this.store.s3Uri(`${this.prefix}${key}`);
  }

  /** Read access to the dataset's objects only (and decrypt on the store's key). */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.store.grantRead(grantee, this.prefix);
  }

  /** Write access to the dataset's objects only (and encrypt on the store's key). */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.store.grantWrite(grantee, this.prefix);
  }

  /** An EventBridge rule for new objects in this dataset (so later levels can react to new data). */
  public onNewData(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.store.onObjectCreated(id, { ...options, keyPrefix: this.prefix });
  }
}
