import { App, Stack } from 'aws-cdk-lib';

/** The baseline of `npm run bench`: an app holding one empty stack, synthesized the same way as the platform app. */
const app = new App();
new Stack(app, 'Empty');
app.synth();
