import { MetricDirection, ProblemType, QualityMetric } from '../../lib';

describe('QualityMetric', () => {
  test('classification metrics must reach the threshold; regression errors must stay below it', () => {
    const auc = QualityMetric.auc(0.8);
    expect(auc.direction).toBe(MetricDirection.HIGHER_IS_BETTER);
    expect([auc.isMetBy(0.8), auc.isMetBy(0.79)]).toEqual([true, false]);
    expect(auc.toString()).toBe('auc >= 0.8');
    const rmse = QualityMetric.rmse(12.5);
    expect(rmse.direction).toBe(MetricDirection.LOWER_IS_BETTER);
    expect([rmse.isMetBy(12.5), rmse.isMetBy(12.6)]).toEqual([true, false]);
    expect(rmse.toString()).toBe('rmse <= 12.5');
    expect(QualityMetric.r2(0.5).higherIsBetter).toBe(true);
  });

  test('each metric fits the problem types that report it', () => {
    expect(QualityMetric.rmse(1).fits(ProblemType.REGRESSION)).toBe(true);
    expect(QualityMetric.rmse(1).fits(ProblemType.BINARY_CLASSIFICATION)).toBe(false);
    expect(QualityMetric.accuracy(0.7).problemTypes).toEqual([ProblemType.BINARY_CLASSIFICATION, ProblemType.MULTICLASS_CLASSIFICATION]);
    expect(QualityMetric.weightedF1(0.7).fits(ProblemType.BINARY_CLASSIFICATION)).toBe(false);
  });

  test('an unknown name or an out-of-range threshold throws one line naming it', () => {
    expect(() => QualityMetric.of('logloss', 0.1)).toThrow(/^metric name must be one of accuracy, .*rmse, r2, got 'logloss'$/);
    expect(() => QualityMetric.auc(1.5)).toThrow("metric threshold for 'auc' must be a number from 0 to 1, got 1.5");
    expect(() => QualityMetric.rmse(-1)).toThrow("metric threshold for 'rmse' must be a number >= 0, got -1");
    expect(() => QualityMetric.r2(2)).toThrow("metric threshold for 'r2' must be a number at most 1, got 2");
  });
});
