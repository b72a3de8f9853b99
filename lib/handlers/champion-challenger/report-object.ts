import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Location } from './evaluation-report';

/** An evaluation report object: whether it exists, and its text when it does. */
export interface ReportObject {
  /** False when no object has the key. */
  readonly found: boolean;
  /** The object's text (undefined when S3 returned no body). */
  readonly text?: string;
}

/**
 * Reads an evaluation report object, telling "no such object" apart from every other failure with certainty.
 *
 * Why a listing first: for a GetObject of a missing key S3 answers 404 `NoSuchKey` only when the caller has
 * `s3:ListBucket` on the bucket, and 403 `AccessDenied` otherwise. The approval role's `s3:ListBucket` is limited
 * to the reports prefix by an `s3:prefix` condition, and the implicit list check of a GetObject carries no prefix
 * parameter, so the condition need not hold there: a missing report could come back as AccessDenied, which is
 * indistinguishable from a real permission problem (a key policy, a bucket policy deny). Treating every 403 as
 * "missing" would hide those; granting ListBucket on the whole bucket would let the role list every key of it.
 * A `ListObjectsV2` with `Prefix` = the exact key does carry the prefix, so the prefix-conditioned permission
 * allows it, and its answer is authoritative (S3 listings are strongly consistent): the key is listed first
 * when it exists, since it sorts before every longer key that starts with it.
 *
 * So: not listed means missing. Listed means it exists, and any error of the GetObject that follows is a real
 * error and is thrown (the invocation fails and is retried, then dead-lettered), except `NoSuchKey`, which is
 * S3's unambiguous 404 (the object was deleted in between): missing as well.
 */
export async function readReportObject(s3: S3Client, location: S3Location): Promise<ReportObject> {
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.key, MaxKeys: 1 }));
  if (listing.Contents?.[0]?.Key !== location.key) return { found: false };
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return { found: true, text: object.Body ? await object.Body.transformToString('utf-8') : undefined };
  } catch (err) {
    if (err instanceof Error && err.name === 'NoSuchKey') return { found: false };
    throw err;
  }
}
