/**
 * The MLOps maturity levels the platform is built for. Raising the level only adds resources.
 */
export enum MaturityLevel {
  /** Level 0, ad hoc: one secure bucket to hand over model artifacts. */
  AD_HOC = 0,
  /** Level 1, pre-production: versioned dataset and artifact stores, a container repository for training images. */
  PRE_PRODUCTION = 1,
  /** Level 2, productionization: training pipeline, model registry with approvals, CI/CD, deploy-on-approval. */
  PRODUCTIONIZATION = 2,
  /** Level 3, monitoring and governance: data capture, monitors, alarms, dashboard, retraining, audit trail, roles. */
  MONITORING_AND_GOVERNANCE = 3,
  /** Level 4, autonomous: tuning, champion/challenger, canary with rollback, shadow/A-B, autoscaling, feature store. */
  AUTONOMOUS = 4,
}

/** Every level, lowest first. */
export const ALL_MATURITY_LEVELS: MaturityLevel[] = [
  MaturityLevel.AD_HOC,
  MaturityLevel.PRE_PRODUCTION,
  MaturityLevel.PRODUCTIONIZATION,
  MaturityLevel.MONITORING_AND_GOVERNANCE,
  MaturityLevel.AUTONOMOUS,
];

/**
 * Parses a level given as a number or a string (`'3'`), as CDK context delivers it.
 * A bad value stops synth with one line: `level must be one of 0, 1, 2, 3, 4, got '7'`.
 */
export function parseMaturityLevel(value: unknown, name: string = 'level'): MaturityLevel {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text !== undefined && /^[0-4]$/.test(text)) return Number(text) as MaturityLevel;
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  throw new Error(`${name} must be one of 0, 1, 2, 3, 4, got ${shown}`);
}
