import { Metrics } from './evaluation-report';
import { Settings } from './settings';

/** Floating-point slack: 0.92 - 0.91 is 0.010000000000000009, which must meet a margin of 0.01. */
const EPSILON = 1e-9;

/** What the comparison concludes. `ManualReview` leaves the package pending for a person. */
export type Verdict = 'Approved' | 'Rejected' | 'ManualReview';

/** One metric of the comparison, challenger against champion (or against the floor). */
export interface MetricCheck {
  readonly metric: string;
  readonly challenger: number;
  /** Champion's value, or the floor / ceiling for the first model. */
  readonly reference: number;
  /** Improvement of the challenger in the "better" direction (positive = better). */
  readonly improvement: number;
  readonly passed: boolean;
}

/** The outcome of comparing a challenger. */
export interface Judgement {
  readonly verdict: Verdict;
  /** One sentence saying why, written into the approval description. */
  readonly reason: string;
  /** The promotion-metric check, when it could be made. */
  readonly promotion?: MetricCheck;
  /** The guard-metric checks, when they could be made. */
  readonly guards: MetricCheck[];
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${fmt(value)}`;
}

function improvement(settings: Settings, challenger: number, reference: number): number {
  return settings.higherIsBetter ? challenger - reference : reference - challenger;
}

/**
 * Judges the first model of a group (no approved champion yet): approved when its promotion metric clears the
 * floor (`minimumValue`, or a ceiling when lower is better).
 */
export function judgeFirstModel(settings: Settings, challenger: Metrics): Judgement {
  const metric = settings.promotionMetric;
  const value = challenger[metric];
  if (value === undefined) {
    return { verdict: 'Rejected', reason: `challenger's evaluation report has no '${metric}' metric`, guards: [] };
  }
  const gain = improvement(settings, value, settings.minimumValue);
  const passed = gain >= -EPSILON;
  const bar = settings.higherIsBetter ? 'floor' : 'ceiling';
  const promotion: MetricCheck = { metric, challenger: value, reference: settings.minimumValue, improvement: gain, passed };
  const comparison = `${metric} ${fmt(value)} ${passed ? 'meets' : 'misses'} the ${bar} ${fmt(settings.minimumValue)}`;
  return passed
    ? { verdict: 'Approved', reason: `no approved champion yet; ${comparison}`, promotion, guards: [] }
    : { verdict: 'Rejected', reason: `no approved champion yet; ${comparison}`, promotion, guards: [] };
}

/**
 * Judges a challenger against the champion: approved only when it beats the champion on the promotion metric by at
 * least `promotionMargin` (and strictly, when the margin is 0) and is not worse on any guard metric beyond
 * `guardMetricTolerance`.
 *
 * Missing evidence: a metric the challenger lacks rejects it (it has not shown it is better); a metric the champion
 * lacks sends the decision to a person (`ManualReview`): without the champion's number nobody can say the
 * challenger is better or worse, and neither replacing nor rejecting on no evidence is what a careful reviewer does.
 */
export function judgeAgainstChampion(settings: Settings, challenger: Metrics, champion: Metrics): Judgement {
  const metric = settings.promotionMetric;
  const needed = [metric, ...settings.guardMetrics.filter((g) => g !== metric)];
  const challengerMissing = needed.filter((m) => challenger[m] === undefined);
  if (challengerMissing.length > 0) {
    return { verdict: 'Rejected', reason: `challenger's evaluation report has no ${challengerMissing.map((m) => `'${m}'`).join(', ')} metric`, guards: [] };
  }
  const championMissing = needed.filter((m) => champion[m] === undefined);
  if (championMissing.length > 0) {
    return {
      verdict: 'ManualReview',
      reason: `champion's evaluation report has no ${championMissing.map((m) => `'${m}'`).join(', ')} metric, so the models cannot be compared`,
      guards: [],
    };
  }

  const gain = improvement(settings, challenger[metric], champion[metric]);
  const beats = gain > EPSILON && gain >= settings.promotionMargin - EPSILON;
  const promotion: MetricCheck = { metric, challenger: challenger[metric], reference: champion[metric], improvement: gain, passed: beats };
  const guards: MetricCheck[] = settings.guardMetrics.map((g) => {
    const delta = improvement(settings, challenger[g], champion[g]);
    return { metric: g, challenger: challenger[g], reference: champion[g], improvement: delta, passed: delta >= -settings.guardMetricTolerance - EPSILON };
  });

  const promotionText = `${metric} ${fmt(challenger[metric])} vs champion ${fmt(champion[metric])} (${signed(gain)}, margin ${fmt(settings.promotionMargin)})`;
  const failedGuards = guards.filter((g) => !g.passed);
  if (!beats) {
    return { verdict: 'Rejected', reason: `does not beat the champion by the margin: ${promotionText}`, promotion, guards };
  }
  if (failedGuards.length > 0) {
    const text = failedGuards.map((g) => `${g.metric} ${fmt(g.challenger)} vs champion ${fmt(g.reference)} (${signed(g.improvement)})`).join('; ');
    const tolerance = settings.guardMetricTolerance > 0 ? ` beyond the tolerance ${fmt(settings.guardMetricTolerance)}` : '';
    return { verdict: 'Rejected', reason: `worse than the champion on a guard metric${tolerance}: ${text}; ${promotionText}`, promotion, guards };
  }
  const guardText = guards.length > 0
    ? `; guards held: ${guards.map((g) => `${g.metric} ${fmt(g.challenger)} vs ${fmt(g.reference)}`).join(', ')}`
    : '';
  return { verdict: 'Approved', reason: `beats the champion: ${promotionText}${guardText}`, promotion, guards };
}
