/**
 * Which of SageMaker's image lists a framework image comes from.
 */
export enum ImageScope {
  /** Training jobs and processing jobs (what `SKLearnProcessor` uses). */
  TRAINING = 'training',
  /** Models behind endpoints and batch transform. */
  INFERENCE = 'inference',
}
