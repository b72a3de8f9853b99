export * from './delivery-source';
export * from './deployment-stage-target';
export * from './ml-code-pipeline';
export * from './deploy-on-approval';
