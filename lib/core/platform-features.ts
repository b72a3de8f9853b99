import { MaturityLevel } from './maturity-level';

/**
 * One feature of the platform and the level that adds it: the table {@link PlatformFeatures.TABLE} that every stack
 * and the platform read instead of comparing levels.
 */
export interface PlatformFeature {
  /** The feature's property name on {@link PlatformFeatures}. */
  readonly name: keyof Omit<PlatformFeatures, 'level'>;
  /** The level that adds it. */
  readonly level: MaturityLevel;
  /** What it is. */
  readonly description: string;
}

const { AD_HOC, PRE_PRODUCTION, PRODUCTIONIZATION, MONITORING_AND_GOVERNANCE, AUTONOMOUS } = MaturityLevel;

/**
 * What the platform has at a maturity level. Raising the level only adds features.
 *
 * @example
 * const features = PlatformFeatures.forLevel(MaturityLevel.MONITORING_AND_GOVERNANCE);
 * features.dataCapture; // true
 * features.canary;      // false
 */
export class PlatformFeatures {
  /** Every feature and the level that adds it, lowest level first. */
  public static readonly TABLE: readonly PlatformFeature[] = [
    { name: 'artifactStore', level: AD_HOC, description: 'encrypted, versioned model artifact store' },
    { name: 'datasetStore', level: PRE_PRODUCTION, description: 'versioned dataset store with the datasets' },
    { name: 'imageRepository', level: PRE_PRODUCTION, description: 'container repository for training images' },
    { name: 'trainingPipeline', level: PRODUCTIONIZATION, description: 'SageMaker training pipeline per model, model registry with approvals' },
    { name: 'delivery', level: PRODUCTIONIZATION, description: 'CI/CD of the ML code and deploy-on-approval' },
    { name: 'serving', level: PRODUCTIONIZATION, description: 'real-time endpoint behind the served-model guard' },
    { name: 'dataCapture', level: MONITORING_AND_GOVERNANCE, description: 'endpoint data capture' },
    { name: 'monitoring', level: MONITORING_AND_GOVERNANCE, description: 'data-quality and model-quality monitors, alarms, dashboard' },
    { name: 'retraining', level: MONITORING_AND_GOVERNANCE, description: 'alarm- and schedule-triggered retraining' },
    { name: 'governance', level: MONITORING_AND_GOVERNANCE, description: 'audit trail and people roles' },
    { name: 'tuning', level: AUTONOMOUS, description: 'hyperparameter tuning in the training pipeline' },
    { name: 'championChallenger', level: AUTONOMOUS, description: 'champion/challenger approval' },
    { name: 'canary', level: AUTONOMOUS, description: 'canary endpoint updates with alarm rollback' },
    { name: 'autoscaling', level: AUTONOMOUS, description: 'target-tracking autoscaling of the endpoint' },
    { name: 'shadowTesting', level: AUTONOMOUS, description: 'shadow challenger variant' },
    { name: 'featureStore', level: AUTONOMOUS, description: 'feature group, online and offline' },
  ];

  /** The features of a level. */
  public static forLevel(level: MaturityLevel): PlatformFeatures {
    return new PlatformFeatures(level);
  }

  /** Level 0: the model artifact store. */
  public readonly artifactStore: boolean;
  /** Level 1: the dataset store. */
  public readonly datasetStore: boolean;
  /** Level 1: the training image repository. */
  public readonly imageRepository: boolean;
  /** Level 2: training pipelines and the model registry. */
  public readonly trainingPipeline: boolean;
  /** Level 2: CI/CD of the ML code and deploy-on-approval. */
  public readonly delivery: boolean;
  /** Level 2: the endpoint. */
  public readonly serving: boolean;
  /** Level 3: endpoint data capture. */
  public readonly dataCapture: boolean;
  /** Level 3: monitors, alarms and the dashboard. */
  public readonly monitoring: boolean;
  /** Level 3: retraining on alarms and schedules. */
  public readonly retraining: boolean;
  /** Level 3: the audit trail and people roles. */
  public readonly governance: boolean;
  /** Level 4: hyperparameter tuning. */
  public readonly tuning: boolean;
  /** Level 4: champion/challenger approval. */
  public readonly championChallenger: boolean;
  /** Level 4: canary updates with rollback. */
  public readonly canary: boolean;
  /** Level 4: endpoint autoscaling. */
  public readonly autoscaling: boolean;
  /** Level 4: the shadow challenger variant. */
  public readonly shadowTesting: boolean;
  /** Level 4: the feature group. */
  public readonly featureStore: boolean;

  private constructor(
    /** The level these features are for. */
    public readonly level: MaturityLevel,
  ) {
    const has = (name: PlatformFeature['name']) => level >= PlatformFeatures.TABLE.find((f) => f.name === name)!.level;
    this.artifactStore = has('artifactStore');
    this.datasetStore = has('datasetStore');
    this.imageRepository = has('imageRepository');
    this.trainingPipeline = has('trainingPipeline');
    this.delivery = has('delivery');
    this.serving = has('serving');
    this.dataCapture = has('dataCapture');
    this.monitoring = has('monitoring');
    this.retraining = has('retraining');
    this.governance = has('governance');
    this.tuning = has('tuning');
    this.championChallenger = has('championChallenger');
    this.canary = has('canary');
    this.autoscaling = has('autoscaling');
    this.shadowTesting = has('shadowTesting');
    this.featureStore = has('featureStore');
  }
}
