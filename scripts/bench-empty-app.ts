import { App, Stack } from 'aws-cdk-lib';
import { reduceSynthGarbageCollection } from '../bin/synth-gc';

/** The baseline of `npm run bench`: an app holding one empty stack, synthesized the same way as the platform app (same
 * entry-point garbage-collection setting included). */
reduceSynthGarbageCollection(); // as bin/mlops-platform.ts does
const app = new App();
new Stack(app, 'Empty');
app.synth();
