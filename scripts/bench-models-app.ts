import { App } from 'aws-cdk-lib';
import { benchPlatform } from './bench-models';
import { addPlatformChecks } from '../lib';
import { reduceSynthGarbageCollection } from '../bin/synth-gc';

/**
 * The app `npm run bench -- --models N` synthesizes in a fresh process: the level-4 platform with `BENCH_MODELS`
 * bench models (scripts/bench-models.ts), both cdk-nag packs and the CloudFormation validator, as `bin/` runs it.
 */
reduceSynthGarbageCollection(); // as bin/mlops-platform.ts does
const app = new App();
benchPlatform(app, Number(process.env.BENCH_MODELS));
addPlatformChecks(app);
app.synth();
