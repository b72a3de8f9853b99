import { runsPerMonth } from './cron';
import { HOSTING_PER_HOUR, HOURS_PER_MONTH, PER_USE_SOURCES, PRICES, PROCESSING_PER_HOUR, Price } from './prices';

/** A CloudFormation template as `cdk synth` writes it (only `Resources` is read). */
export interface CfnTemplate {
  readonly Resources?: { readonly [logicalId: string]: { readonly Type: string; readonly Properties?: any } };
}

/**
 * Minutes a Model Monitor job is assumed to bill per run when nobody uses the endpoint: a small capture (or none) to
 * analyse, so the run is mostly the processing instance starting the analyzer container. An assumption, not a
 * measurement; the report also gives the upper bound, every run lasting its job definition's `MaxRuntimeInSeconds`.
 */
export const MONITORING_MINUTES_PER_RUN = 10;

/** A SageMaker job definition's default `MaxRuntimeInSeconds` when its template leaves it out. */
const DEFAULT_MONITORING_MAX_RUNTIME_SECONDS = 3600;

/** One instance type of one endpoint variant, as it runs while nobody calls the endpoint. */
export interface EndpointVariantUse {
  /** `<logical id of the endpoint>/<variant name>`. */
  readonly variant: string;
  /** The instance type, or `serverless`. */
  readonly instanceType: string;
  /** Instances running while idle: the autoscaling target's `MinCapacity`, else `InitialInstanceCount`; 0 serverless. */
  readonly instances: number;
}

/**
 * Each variant (production and shadow) of each `AWS::SageMaker::Endpoint` in the template, through the endpoint
 * config it names. An idle variant under application autoscaling scales in to its target's `MinCapacity`; a
 * serverless variant has no instances (provisioned concurrency, which would cost while idle, is refused: not priced).
 */
export function endpointVariants(template: CfnTemplate): EndpointVariantUse[] {
  const resources = template.Resources ?? {};
  const targets = Object.values(resources).filter((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget'
    && r.Properties?.ScalableDimension === 'sagemaker:variant:DesiredInstanceCount');
  const uses: EndpointVariantUse[] = [];
  for (const [endpointId, endpoint] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SageMaker::Endpoint')) {
    const configId = referencedIds(endpoint.Properties?.EndpointConfigName).find((id) => resources[id]?.Type === 'AWS::SageMaker::EndpointConfig');
    if (!configId) throw new Error(`endpoint ${endpointId}: its EndpointConfigName is not an endpoint config of the same template`);
    const config = resources[configId].Properties ?? {};
    for (const variant of [...(config.ProductionVariants ?? []), ...(config.ShadowProductionVariants ?? [])]) {
      const name = `${endpointId}/${variant.VariantName}`;
      if (variant.ServerlessConfig) {
        if (variant.ServerlessConfig.ProvisionedConcurrency) throw new Error(`endpoint variant ${name}: provisioned concurrency costs while idle and has no price in scripts/cost/prices.ts`);
        uses.push({ variant: name, instanceType: 'serverless', instances: 0 });
        continue;
      }
      const target = targets.find((t) => JSON.stringify(t.Properties.ResourceId).includes(`"${endpointId}"`)
        && JSON.stringify(t.Properties.ResourceId).includes(`/variant/${variant.VariantName}"`));
      uses.push({ variant: name, instanceType: variant.InstanceType, instances: target ? target.Properties.MinCapacity : variant.InitialInstanceCount });
    }
  }
  return uses;
}

/** One monitoring schedule's jobs over a month. */
export interface MonitoringUse {
  /** Logical id of the `AWS::SageMaker::MonitoringSchedule`. */
  readonly schedule: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly runsPerMonth: number;
  /** The job's `StoppingCondition.MaxRuntimeInSeconds` in hours (SageMaker's default, 1 hour, when left out). */
  readonly maxRuntimeHours: number;
}

const JOB_DEFINITION_TYPES = ['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'].map((t) => `AWS::SageMaker::${t}JobDefinition`);

/**
 * Each `AWS::SageMaker::MonitoringSchedule`: runs per month from its cron, and the cluster and maximum runtime of the
 * job it starts (an inline `MonitoringJobDefinition`, or the job definition resource it names).
 */
export function monitoringSchedules(template: CfnTemplate): MonitoringUse[] {
  const resources = template.Resources ?? {};
  return Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SageMaker::MonitoringSchedule').map(([id, schedule]) => {
    const config = schedule.Properties?.MonitoringScheduleConfig ?? {};
    let cluster: any;
    let stopping: any;
    if (config.MonitoringJobDefinition) {
      cluster = config.MonitoringJobDefinition.MonitoringResources?.ClusterConfig;
      stopping = config.MonitoringJobDefinition.StoppingCondition;
    } else {
      const definitionId = referencedIds(config.MonitoringJobDefinitionName).find((ref) => JOB_DEFINITION_TYPES.includes(resources[ref]?.Type));
      if (!definitionId) throw new Error(`monitoring schedule ${id}: its MonitoringJobDefinitionName is not a job definition of the same template`);
      cluster = resources[definitionId].Properties?.JobResources?.ClusterConfig;
      stopping = resources[definitionId].Properties?.StoppingCondition;
    }
    if (!cluster?.InstanceType) throw new Error(`monitoring schedule ${id}: its job has no ClusterConfig.InstanceType to price`);
    const expression = config.ScheduleConfig?.ScheduleExpression;
    if (typeof expression !== 'string') throw new Error(`monitoring schedule ${id}: no ScheduleExpression to count its runs`);
    return {
      schedule: id,
      instanceType: cluster.InstanceType,
      instanceCount: cluster.InstanceCount,
      runsPerMonth: runsPerMonth(expression),
      maxRuntimeHours: (stopping?.MaxRuntimeInSeconds ?? DEFAULT_MONITORING_MAX_RUNTIME_SECONDS) / 3600,
    };
  });
}

/** Alarm metrics of the template's CloudWatch alarms, as CloudWatch bills them. */
export interface AlarmUse {
  /** Metrics evaluated by standard-resolution alarms (period of 60 s or more). */
  readonly standardMetrics: number;
  /** Metrics evaluated by high-resolution alarms (a period under 60 s). */
  readonly highResolutionMetrics: number;
  /** Composite alarms. */
  readonly composite: number;
}

/**
 * CloudWatch bills an alarm per metric it evaluates: one for a single-metric alarm, each `MetricStat` of a
 * metric-math alarm (the expressions themselves are free), and 3 for an anomaly detection band (the metric and the
 * band's two bounds); a period under 60 seconds makes it a high-resolution alarm.
 */
export function alarmMetrics(template: CfnTemplate): AlarmUse {
  let standardMetrics = 0;
  let highResolutionMetrics = 0;
  let composite = 0;
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type === 'AWS::CloudWatch::CompositeAlarm') composite++;
    if (resource.Type !== 'AWS::CloudWatch::Alarm') continue;
    const p = resource.Properties ?? {};
    let metrics = 1;
    let periods: number[] = [p.Period];
    if (Array.isArray(p.Metrics)) {
      const stats = p.Metrics.filter((m: any) => m.MetricStat);
      const bands = p.Metrics.filter((m: any) => typeof m.Expression === 'string' && /ANOMALY_DETECTION_BAND/.test(m.Expression));
      metrics = stats.length + 2 * bands.length;
      periods = stats.map((m: any) => m.MetricStat.Period);
    }
    if (periods.some((period) => typeof period === 'number' && period < 60)) highResolutionMetrics += metrics;
    else standardMetrics += metrics;
  }
  return { standardMetrics, highResolutionMetrics, composite };
}

/** Availability Zones of the template's interface VPC endpoints (each AZ is billed per hour), and its NAT gateways. */
export function networkUse(template: CfnTemplate): { interfaceEndpointAzs: number; natGateways: number } {
  let interfaceEndpointAzs = 0;
  let natGateways = 0;
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type === 'AWS::EC2::NatGateway') natGateways++;
    if (resource.Type !== 'AWS::EC2::VPCEndpoint' || resource.Properties?.VpcEndpointType !== 'Interface') continue;
    const subnets = resource.Properties.SubnetIds;
    if (!Array.isArray(subnets)) throw new Error(`VPC endpoint ${id}: cannot count its Availability Zones (SubnetIds is not a list)`);
    interfaceEndpointAzs += subnets.length;
  }
  return { interfaceEndpointAzs, natGateways };
}

/** How many resources of a type the template has. */
export function countOf(template: CfnTemplate, type: string): number {
  return Object.values(template.Resources ?? {}).filter((r) => r.Type === type).length;
}

/** One line of the report: a quantity per month at a price. */
export interface CostItem {
  /** What is billed, e.g. `endpoint ml.m5.large` or `KMS keys`. */
  readonly item: string;
  /** Units per month (instance-hours, keys, alarm metrics, ...). */
  readonly quantity: number;
  readonly price: Price;
  /** quantity x price, per month. */
  readonly monthlyUsd: number;
  /** The most it can cost per month (differs from `monthlyUsd` for monitoring jobs only: every run at its maximum runtime). */
  readonly upperBoundUsd: number;
}

/** Resources that cost nothing while nobody uses them, by type, with where their per-use prices are. */
export interface PerUseItem {
  readonly type: string;
  readonly count: number;
  readonly source: string;
}

/** The fixed monthly cost of a set of templates (one synthesized app) while nobody uses it. */
export interface IdleCost {
  readonly items: CostItem[];
  readonly perUse: PerUseItem[];
}

/**
 * The fixed monthly cost of the templates while nobody uses them: endpoint instance-hours, monitoring-job
 * instance-hours ({@link MONITORING_MINUTES_PER_RUN} per run; the maximum runtime as the upper bound), KMS keys, alarm
 * metrics, dashboards (each at its list price: the account's 3 free dashboards are not deducted, other dashboards
 * may use them), secrets, interface endpoints and NAT gateways; and a count of what costs only per use.
 */
export function idleCost(templates: CfnTemplate[]): IdleCost {
  const items = new Map<string, { quantity: number; upper: number; price: Price }>();
  const add = (item: string, quantity: number, price: Price, upper = quantity) => {
    if (quantity === 0 && upper === 0) return;
    const entry = items.get(item) ?? { quantity: 0, upper: 0, price };
    items.set(item, { quantity: entry.quantity + quantity, upper: entry.upper + upper, price });
  };
  for (const template of templates) {
    for (const use of endpointVariants(template)) {
      if (use.instances === 0) continue;
      add(`endpoint ${use.instanceType}`, use.instances * HOURS_PER_MONTH, priceOf(HOSTING_PER_HOUR, use.instanceType, 'hosting'));
    }
    for (const use of monitoringSchedules(template)) {
      const instanceRuns = use.runsPerMonth * use.instanceCount;
      add(`monitoring jobs ${use.instanceType}`, instanceRuns * Math.min(MONITORING_MINUTES_PER_RUN / 60, use.maxRuntimeHours),
        priceOf(PROCESSING_PER_HOUR, use.instanceType, 'processing'), instanceRuns * use.maxRuntimeHours);
    }
    add('KMS keys', countOf(template, 'AWS::KMS::Key'), PRICES.kmsKey);
    const alarms = alarmMetrics(template);
    add('alarm metrics', alarms.standardMetrics, PRICES.alarmMetric);
    add('high-resolution alarm metrics', alarms.highResolutionMetrics, PRICES.highResolutionAlarmMetric);
    add('composite alarms', alarms.composite, PRICES.compositeAlarm);
    add('dashboards', countOf(template, 'AWS::CloudWatch::Dashboard'), PRICES.dashboard);
    add('secrets', countOf(template, 'AWS::SecretsManager::Secret'), PRICES.secret);
    const network = networkUse(template);
    add('interface VPC endpoint AZs', network.interfaceEndpointAzs * HOURS_PER_MONTH, PRICES.interfaceEndpointAzHour);
    add('NAT gateways', network.natGateways * HOURS_PER_MONTH, PRICES.natGatewayHour);
  }
  const perUse = Object.entries(PER_USE_SOURCES).map(([type, source]) => ({
    type, source, count: templates.reduce((sum, t) => sum + countOf(t, type), 0),
  })).filter((p) => p.count > 0);
  return {
    items: [...items.entries()].map(([item, e]) => ({
      item, quantity: e.quantity, price: e.price, monthlyUsd: e.quantity * e.price.usd, upperBoundUsd: e.upper * e.price.usd,
    })),
    perUse,
  };
}

/** The sum of the items' monthly cost (and of their upper bounds). */
export function totalOf(items: CostItem[]): { monthlyUsd: number; upperBoundUsd: number } {
  return {
    monthlyUsd: items.reduce((sum, i) => sum + i.monthlyUsd, 0),
    upperBoundUsd: items.reduce((sum, i) => sum + i.upperBoundUsd, 0),
  };
}

/**
 * What `more` costs beyond `base`, item by item (e.g. a platform with two models minus the same platform with one:
 * the cost of one more model). Items whose difference is zero are left out.
 */
export function difference(more: CostItem[], base: CostItem[]): CostItem[] {
  return more.map((m) => {
    const b = base.find((i) => i.item === m.item);
    const quantity = m.quantity - (b?.quantity ?? 0);
    return { ...m, quantity, monthlyUsd: m.monthlyUsd - (b?.monthlyUsd ?? 0), upperBoundUsd: m.upperBoundUsd - (b?.upperBoundUsd ?? 0) };
  }).filter((i) => i.quantity !== 0);
}

function priceOf(table: { readonly [instanceType: string]: Price }, instanceType: string, kind: string): Price {
  const price = table[instanceType];
  if (!price) {
    throw new Error(`no ${kind} price for instance type '${instanceType}' in scripts/cost/prices.ts: add it with its pricing page (known: ${Object.keys(table).join(', ')})`);
  }
  return price;
}

/** Logical ids a CloudFormation value refers to (`Ref`, `Fn::GetAtt`), anywhere inside it. */
function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (!value || typeof value !== 'object') return [];
  const ids: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && typeof inner === 'string') ids.push(inner);
    else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') ids.push(inner[0]);
    else if (key === 'Fn::GetAtt' && typeof inner === 'string') ids.push(inner.split('.')[0]);
    else ids.push(...referencedIds(inner));
  }
  return ids;
}
