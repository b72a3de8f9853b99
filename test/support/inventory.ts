/**
 * A reviewable inventory of a CloudFormation template, for snapshots that change only when something that matters
 * changes (not when aws-cdk-lib rewrites its own resources):
 *
 * - one line per resource, sorted by logical id: `<logical id> <type> <DeletionPolicy>/<UpdateReplacePolicy>`
 *   (`-` when not set), `if=<condition>` when the resource has a Condition, then the few properties of its type that
 *   matter for safety (see {@link PROPERTIES});
 * - the stack's description first; its outputs last, each with the name it exports (another stack may import it);
 * - below a resource that holds a policy (IAM role and policy, key policy, bucket/queue/topic policy, registry
 *   policy), one indented line per statement: effect, principal, the sorted actions, whether the resource is `*`, and
 *   the condition keys with their values.
 *
 * CloudFormation intrinsics are written in angle brackets (`<Bucket.Arn>`, `<Import:Mlops-Data:...>`), and asset
 * hashes are masked as by test/support/asset-hash-serializer.js.
 */
export function templateInventory(template: any): string {
  const lines: string[] = template.Description ? [`description: ${template.Description}`] : [];
  const resources = template.Resources ?? {};
  for (const id of Object.keys(resources).sort()) {
    const r = resources[id];
    const policies = r.DeletionPolicy || r.UpdateReplacePolicy ? `${r.DeletionPolicy ?? '-'}/${r.UpdateReplacePolicy ?? '-'}` : '-/-';
    const props = r.Properties ?? {};
    const summary = PROPERTIES[r.Type]?.(props) ?? [];
    lines.push([id, r.Type, policies, ...(r.Condition ? [`if=${r.Condition}`] : []), ...summary].join(' '));
    for (const statement of STATEMENTS[r.Type]?.(props) ?? []) lines.push(`  ${statement}`);
  }
  const outputs = template.Outputs ?? {};
  for (const id of Object.keys(outputs).sort()) {
    lines.push(`output ${id}${outputs[id].Export ? ` export=${renderValue(outputs[id].Export.Name)}` : ''}`);
  }
  return maskAssetHashes(lines.join('\n'));
}

/** The same pattern as test/support/asset-hash-serializer.js. */
const ASSET_HASH = /[0-9a-f]{64}/g;

/** Replaces asset hashes (64 hex characters) with `[HASH REMOVED]`. */
export function maskAssetHashes(text: string): string {
  return text.replace(ASSET_HASH, '[HASH REMOVED]');
}

/**
 * A CloudFormation value as one readable string: intrinsics in angle brackets (`<Bucket>` for a Ref, `<Bucket.Arn>`,
 * `<Import:name>`, `<Map:map.key.key>`, `<If:cond?a:b>`, `<AWS::AccountId>` also inside `Fn::Sub`), `Fn::Join` joined.
 */
export function renderValue(value: any): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(renderValue).join(',')}]`;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [k] = keys;
    const v = value[k];
    switch (k) {
      case 'Ref': return `<${v}>`;
      case 'Fn::GetAtt': return `<${Array.isArray(v) ? v.join('.') : v}>`;
      case 'Fn::Join': return v[1].map(renderValue).join(v[0]);
      case 'Fn::ImportValue': return `<Import:${renderValue(v)}>`;
      case 'Fn::Sub': return (Array.isArray(v) ? v[0] : v).replace(/\$\{([^}]+)\}/g, '<$1>');
      case 'Fn::FindInMap': return `<Map:${v.map(renderValue).join('.')}>`;
      case 'Fn::Select': return `<Select:${renderValue(v[0])}:${renderValue(v[1])}>`;
      case 'Fn::Split': return `<Split:${renderValue(v[0])}:${renderValue(v[1])}>`;
      case 'Fn::If': return `<If:${v[0]}?${renderValue(v[1])}:${renderValue(v[2])}>`;
      case 'Fn::GetAZs': return '<GetAZs>';
      default: break;
    }
  }
  return `{${keys.map((k) => `${k}:${renderValue(value[k])}`).join(',')}}`;
}

const asList = (v: any): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const yesNo = (v: unknown): string => (v === undefined || v === null || v === false ? 'no' : 'yes');
const onOff = (v: unknown): string => (v === true || v === 'true' ? 'on' : 'off');

/** One line per statement of a policy document. */
function statementLines(document: any, prefix = ''): string[] {
  if (!document) return [];
  const doc = typeof document === 'string' ? JSON.parse(document) : document;
  return asList(doc.Statement).map((s: any) => {
    const parts = [`${prefix}${s.Effect}`];
    if (s.Principal !== undefined) parts.push(`principal=${principal(s.Principal)}`);
    if (s.NotPrincipal !== undefined) parts.push(`notPrincipal=${principal(s.NotPrincipal)}`);
    if (s.Action !== undefined) parts.push(asList(s.Action).map(renderValue).sort().join(','));
    if (s.NotAction !== undefined) parts.push(`not:${asList(s.NotAction).map(renderValue).sort().join(',')}`);
    if (s.Resource !== undefined) parts.push(`on=${asList(s.Resource).some((r) => r === '*') ? '*' : 'scoped'}`);
    if (s.NotResource !== undefined) parts.push('on=not-scoped');
    for (const [operator, entries] of Object.entries<any>(s.Condition ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      for (const [key, v] of Object.entries<any>(entries).sort(([a], [b]) => a.localeCompare(b))) {
        parts.push(`${operator}(${key}=${asList(v).map(renderValue).join('|')})`);
      }
    }
    return parts.join(' ');
  });
}

function principal(p: any): string {
  if (typeof p === 'string') return p;
  return Object.keys(p).sort().flatMap((kind) => asList(p[kind]).map((v) => `${kind}:${renderValue(v)}`)).join('|');
}

/** Resources whose lines carry policy statements, and where the statements are. */
const STATEMENTS: { [type: string]: (p: any) => string[] } = {
  'AWS::IAM::Role': (p) => [
    ...statementLines(p.AssumeRolePolicyDocument, 'assume: '),
    ...asList(p.Policies).flatMap((policy: any) => statementLines(policy.PolicyDocument, `${policy.PolicyName}: `)),
  ],
  'AWS::IAM::Policy': (p) => statementLines(p.PolicyDocument),
  'AWS::IAM::ManagedPolicy': (p) => statementLines(p.PolicyDocument),
  'AWS::KMS::Key': (p) => statementLines(p.KeyPolicy),
  'AWS::S3::BucketPolicy': (p) => statementLines(p.PolicyDocument),
  'AWS::SQS::QueuePolicy': (p) => statementLines(p.PolicyDocument),
  'AWS::SNS::TopicPolicy': (p) => statementLines(p.PolicyDocument),
  'AWS::ECR::Repository': (p) => statementLines(p.RepositoryPolicyText),
  'AWS::SageMaker::ModelPackageGroup': (p) => statementLines(p.ModelPackageGroupPolicy),
};

/**
 * The properties that matter for safety, per resource type (anything else is left to the focused tests):
 * encryption, public access, versioning and object lock of buckets; key rotation; who a role trusts and what it is
 * attached to; data capture and its encryption on endpoint configurations; network isolation and encryption of
 * SageMaker jobs and models; egress of security groups; runtime, reserved concurrency and VPC of functions;
 * retention and encryption of log groups, queues, topics and repositories; log validation of trails; privileged
 * builds; how an endpoint deploys; who may invoke a function.
 */
const PROPERTIES: { [type: string]: (p: any) => string[] } = {
  'AWS::S3::Bucket': (p) => {
    const sse = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
    const block = p.PublicAccessBlockConfiguration ?? {};
    const blockKeys = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];
    const blocked = blockKeys.filter((k) => block[k] === true);
    return [
      `encryption=${sse ? `${sse.SSEAlgorithm}${sse.KMSMasterKeyID ? `(${renderValue(sse.KMSMasterKeyID)})` : ''}` : 'none'}`,
      `versioning=${p.VersioningConfiguration?.Status ?? 'off'}`,
      `publicAccessBlock=${blocked.length === 4 ? 'all' : blocked.length === 0 ? 'none' : blocked.join('+')}`,
      `ownership=${p.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? '-'}`,
      `accessLogs=${p.LoggingConfiguration ? renderValue(p.LoggingConfiguration.DestinationBucketName ?? 'same') : 'none'}`,
      ...(p.ObjectLockEnabled !== undefined ? [`objectLock=${onOff(p.ObjectLockEnabled)}`] : []),
      ...(p.ObjectLockConfiguration?.Rule ? [`objectLockRule=${renderValue(p.ObjectLockConfiguration.Rule.DefaultRetention)}`] : []),
      ...asList(p.LifecycleConfiguration?.Rules).map((rule: any) => `lifecycle=${rule.Id ?? '-'}(${[
        rule.ExpirationInDays !== undefined ? `expire ${rule.ExpirationInDays}d` : '',
        rule.NoncurrentVersionExpiration ? `noncurrent ${rule.NoncurrentVersionExpiration.NoncurrentDays}d` : '',
        rule.AbortIncompleteMultipartUpload ? `abort-uploads ${rule.AbortIncompleteMultipartUpload.DaysAfterInitiation}d` : '',
        ...asList(rule.Transitions).map((t: any) => `${t.StorageClass} ${t.TransitionInDays}d`),
        ...asList(rule.NoncurrentVersionTransitions).map((t: any) => `noncurrent ${t.StorageClass} ${t.TransitionInDays}d`),
      ].filter(Boolean).join(',')})`),
    ];
  },
  'AWS::KMS::Key': (p) => [`rotation=${onOff(p.EnableKeyRotation)}`],
  'AWS::IAM::Role': (p) => [
    ...(p.ManagedPolicyArns ? [`managed=[${asList(p.ManagedPolicyArns).map(renderValue).join(',')}]`] : []),
    ...(p.PermissionsBoundary ? [`boundary=${renderValue(p.PermissionsBoundary)}`] : []),
  ],
  'AWS::IAM::ManagedPolicy': (p) => [`roles=[${asList(p.Roles).map(renderValue).join(',')}]`],
  'AWS::IAM::Policy': (p) => [`roles=[${asList(p.Roles).map(renderValue).join(',')}]`],
  'AWS::SageMaker::EndpointConfig': (p) => [
    `dataCapture=${p.DataCaptureConfig ? `on(${p.DataCaptureConfig.InitialSamplingPercentage}%,kms=${yesNo(p.DataCaptureConfig.KmsKeyId)})` : 'off'}`,
    `kms=${yesNo(p.KmsKeyId)}`,
    `variants=${asList(p.ProductionVariants).length}`,
    `shadowVariants=${asList(p.ShadowProductionVariants).length}`,
  ],
  'AWS::SageMaker::Endpoint': (p) => [
    `deployment=${p.DeploymentConfig?.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration?.Type ?? 'default'}`,
    `rollbackAlarms=${asList(p.DeploymentConfig?.AutoRollbackConfiguration?.Alarms).length}`,
  ],
  'AWS::SageMaker::Model': (p) => [`networkIsolation=${onOff(p.EnableNetworkIsolation)}`, `vpc=${yesNo(p.VpcConfig)}`],
  'AWS::SageMaker::DataQualityJobDefinition': (p) => monitoringJob(p, 'DataQuality'),
  'AWS::SageMaker::ModelQualityJobDefinition': (p) => monitoringJob(p, 'ModelQuality'),
  'AWS::SageMaker::ModelBiasJobDefinition': (p) => monitoringJob(p, 'ModelBias'),
  'AWS::SageMaker::ModelExplainabilityJobDefinition': (p) => monitoringJob(p, 'ModelExplainability'),
  'AWS::SageMaker::FeatureGroup': (p) => [
    `online=${onOff(p.OnlineStoreConfig?.EnableOnlineStore)}(kms=${yesNo(p.OnlineStoreConfig?.SecurityConfig?.KmsKeyId)})`,
    `offline=${p.OfflineStoreConfig ? `on(kms=${yesNo(p.OfflineStoreConfig.S3StorageConfig?.KmsKeyId)})` : 'off'}`,
  ],
  'AWS::EC2::SecurityGroup': (p) => [`egress=[${asList(p.SecurityGroupEgress)
    .map((e: any) => `${e.IpProtocol}:${e.CidrIp ?? e.CidrIpv6 ?? renderValue(e.DestinationSecurityGroupId)}:${e.FromPort ?? '*'}-${e.ToPort ?? '*'}`).join(',')}]`],
  'AWS::Lambda::Function': (p) => [
    `runtime=${p.Runtime ?? 'image'}`,
    `reservedConcurrency=${p.ReservedConcurrentExecutions ?? '-'}`,
    `vpc=${yesNo(p.VpcConfig)}`,
    `envKms=${yesNo(p.KmsKeyArn)}`,
    `deadLetter=${yesNo(p.DeadLetterConfig)}`,
  ],
  'AWS::Lambda::Permission': (p) => [`${p.Action}`, `principal=${renderValue(p.Principal)}`, `sourceArn=${yesNo(p.SourceArn)}`],
  'AWS::Logs::LogGroup': (p) => [`retention=${p.RetentionInDays ?? 'never-expires'}`, `kms=${yesNo(p.KmsKeyId)}`],
  'AWS::SNS::Topic': (p) => [`kms=${yesNo(p.KmsMasterKeyId)}`],
  'AWS::SQS::Queue': (p) => [`kms=${yesNo(p.KmsMasterKeyId)}`, `retention=${p.MessageRetentionPeriod ?? 'default'}`],
  'AWS::ECR::Repository': (p) => [
    `scanOnPush=${onOff(p.ImageScanningConfiguration?.ScanOnPush)}`,
    `tags=${p.ImageTagMutability ?? 'MUTABLE'}`,
    `encryption=${p.EncryptionConfiguration?.EncryptionType ?? 'AES256'}`,
  ],
  'AWS::CloudTrail::Trail': (p) => [
    `logValidation=${onOff(p.EnableLogFileValidation)}`,
    `multiRegion=${onOff(p.IsMultiRegionTrail)}`,
    `kms=${yesNo(p.KMSKeyId)}`,
    `dataEvents=${asList(p.EventSelectors).flatMap((s: any) => asList(s.DataResources)).length}`,
  ],
  'AWS::CodeBuild::Project': (p) => [
    `privileged=${onOff(p.Environment?.PrivilegedMode)}`,
    `kms=${yesNo(p.EncryptionKey)}`,
    `vpc=${yesNo(p.VpcConfig)}`,
  ],
  'AWS::CodePipeline::Pipeline': (p) => [
    `artifactKms=${yesNo(p.ArtifactStore?.EncryptionKey ?? asList(p.ArtifactStores).find((s: any) => s.ArtifactStore?.EncryptionKey))}`,
    `stages=${asList(p.Stages).map((s: any) => s.Name).join(',')}`,
  ],
  'AWS::StepFunctions::StateMachine': (p) => [
    `logging=${p.LoggingConfiguration?.Level ?? 'off'}`,
    `tracing=${onOff(p.TracingConfiguration?.Enabled)}`,
  ],
};

function monitoringJob(p: any, kind: string): string[] {
  const config = p.JobResources?.ClusterConfig ?? {};
  const network = p.NetworkConfig ?? {};
  return [
    `networkIsolation=${onOff(network.EnableNetworkIsolation)}`,
    `interContainerEncryption=${onOff(network.EnableInterContainerTrafficEncryption)}`,
    `vpc=${yesNo(network.VpcConfig)}`,
    `volumeKms=${yesNo(config.VolumeKmsKeyId)}`,
    `outputKms=${yesNo(p[`${kind}JobOutputConfig`]?.KmsKeyId)}`,
  ];
}
