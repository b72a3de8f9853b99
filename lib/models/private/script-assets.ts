import * as fs from 'fs';
import * as path from 'path';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { packageRoot } from '../../private/package-root';
import { S3Location } from '../../pipeline/definition';

/** The platform's generic scripts the package ships in `assets/sagemaker/`. */
export type GenericScript = 'preprocess.py' | 'evaluate_xgboost.py';

/** Path of one of the platform's generic scripts (`assets/sagemaker/<name>` in the package); one line when it is missing. */
export function genericScriptPath(name: GenericScript): string {
  const file = path.join(packageRoot(), 'assets', 'sagemaker', name);
  if (!fs.existsSync(file)) throw new Error(`the platform's generic script ${name} is missing at ${file}: reinstall cdk-mlops-maturity (package.json 'files' ships assets/sagemaker/*.py)`);
  return file;
}

/** A script file as an S3 asset (construct `id` under `scope`), as a processing step's code input. */
export function scriptAsset(scope: Construct, id: string, file: string): S3Location {
  const asset = new s3assets.Asset(scope, id, { path: file });
  return S3Location.fromBucket(asset.bucket, asset.s3ObjectKey);
}
