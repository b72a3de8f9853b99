import { App } from 'aws-cdk-lib';
import { buildPlatformApp } from './bin/platform-app';
function run(ctx: any) {
  try { const app = new App({ context: ctx }); const { platform } = buildPlatformApp(app); console.log(JSON.stringify(ctx), '->', Object.keys(platform.servingStacks), platform.dataStack.region); }
  catch (e) { console.log(JSON.stringify(ctx), 'ERR', (e as Error).message); }
}
const arn = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/g/1';
run({ 'modelPackageArn.recommendation': arn });
run({ deployRegion: 'not a region!' });
run({ level: '1', modelPackageArn: undefined, 'modelPackageArn.x': arn });
run({ platformName: 'A'.repeat(40), modelName: 'm'.repeat(32) });
