import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DataStore } from '../data/data-store';
import { Dataset } from '../data/dataset';
import { TrainingImageRepository } from '../data/training-image-repository';
import { FeatureGroup } from '../featurestore/feature-group';
import { MaturityLevel } from '../core/maturity-level';
import { PlatformFeatures } from '../core/platform-features';
import { PlatformModel } from '../models/platform-model';
import { featureGroupSchema } from './private/feature-group-schema';

/**
 * Properties of a {@link DataStack}.
 */
export interface DataStackProps extends StackProps {
  /** The maturity level: level 0 has the artifact store only; level 1 adds datasets and the image repository. */
  readonly level: MaturityLevel;
  /**
   * The platform's models: each one's dataset is declared in the dataset store (level 1 and up), and from level 4
   * each gets a feature group of its dataset's features. The first model's feature group keeps the id `Features`
   * of a one-model platform; the others are `Features-<model>`.
   * @default - no models
   */
  readonly models?: PlatformModel[];
  /**
   * Names of more datasets to declare in the dataset store (level 1 and up), beside the models' datasets.
   * @default - none
   */
  readonly datasetNames?: string[];
}

/**
 * The stateful data of the platform, in its own stack so that it outlives every other stack: the model artifact
 * store (level 0), the dataset store and the training image repository (level 1 and up), the feature group (level 4).
 * Everything is retained.
 */
export class DataStack extends Stack {
  /** Model artifact store (level 0+): the secure hand-over bucket, later the pipeline's artifact store. */
  public readonly artifactStore: DataStore;
  /** Versioned dataset store (level 1+). */
  public readonly datasetStore?: DataStore;
  /** Container repository for training images (level 1+). */
  public readonly imageRepository?: TrainingImageRepository;
  /** Each model's feature group, by model name: its dataset's features by record identifier, online and offline (level 4). */
  public readonly featureGroups: { [modelName: string]: FeatureGroup } = {};
  /** The named datasets of the dataset store, by name (level 1+). */
  public readonly datasets: { [name: string]: Dataset } = {};

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { description: 'cdk-mlops-maturity: stateful data (retained)', ...props });
    const features = PlatformFeatures.forLevel(props.level);
    this.artifactStore = new DataStore(this, 'Artifacts', { purpose: 'model artifacts' });
    if (features.datasetStore) {
      this.datasetStore = new DataStore(this, 'Datasets', { purpose: 'datasets' });
      const names = [...(props.models ?? []).map((m) => m.dataset.name), ...(props.datasetNames ?? [])];
      for (const name of new Set(names)) this.datasets[name] = this.datasetStore.dataset(name);
    }
    if (features.imageRepository) this.imageRepository = new TrainingImageRepository(this, 'TrainingImages');
    if (features.featureStore) {
      (props.models ?? []).forEach((model, i) => {
        this.featureGroups[model.name] = new FeatureGroup(this, i === 0 ? 'Features' : `Features-${model.name}`, {
          ...featureGroupSchema(model.dataset),
          description: `Features of the ${model.name} model: online for serving, offline (in the dataset store) for training`,
          offlineStoreBucket: this.datasetStore!.bucket,
        });
      });
    }
  }
}
