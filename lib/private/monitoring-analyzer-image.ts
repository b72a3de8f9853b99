import { IConstruct } from 'constructs';
import { PrebuiltImage, prebuiltImage } from './monitoring-prebuilt-image';

/**
 * Region -> ECR registry account of SageMaker's Model Monitor analyzer image (`sagemaker-model-monitor-analyzer`,
 * untagged = latest). Facts from sagemaker-python-sdk `image_uri_config/model-monitor.json` (Apache-2.0), scope
 * `monitoring`. Not offered in ap-south-2, ap-southeast-4, ca-west-1, us-gov-* and the us-iso(b) regions.
 */
export const MODEL_MONITOR_ANALYZER_ACCOUNTS: { [region: string]: string } = {
  'af-south-1': '875698925577',
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-northeast-3': '990339680094',
  'ap-south-1': '126357580389',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ap-southeast-3': '669540362728',
  'ca-central-1': '536280801234',
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
  'eu-central-1': '048819808253',
  'eu-central-2': '590183933784',
  'eu-north-1': '895015795356',
  'eu-south-1': '933208885752',
  'eu-south-2': '437450045455',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'il-central-1': '843974653677',
  'me-central-1': '588750061953',
  'me-south-1': '607024016150',
  'sa-east-1': '539772159869',
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-isof-east-1': '853188333426',
  'us-isof-south-1': '467912361380',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
};

/**
 * The Model Monitor analyzer image of the stack's region, from a CfnMapping (so region-agnostic stacks resolve it at
 * deploy time): `<account>.dkr.ecr.<region>.<urlSuffix>/sagemaker-model-monitor-analyzer`.
 *
 * Temporary: the integrator replaces this with the shared images module of `lib/pipeline/images/`.
 */
export function modelMonitorAnalyzerImage(scope: IConstruct): PrebuiltImage {
  return prebuiltImage(scope, {
    mappingId: 'ModelMonitorAnalyzerImageAccounts',
    accounts: MODEL_MONITOR_ANALYZER_ACCOUNTS,
    repositoryName: 'sagemaker-model-monitor-analyzer',
    propName: 'analyzerImageUri',
  });
}
