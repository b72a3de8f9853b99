export * from './alarm-action-strategy';
export * from './endpoint-alarms';
export * from './mlops-dashboard';
export * from './model-monitor';
export * from './model-package-baselines';
export * from './monitoring-metrics';
