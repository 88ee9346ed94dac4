import { DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { FastlaneError } from '../../errors.js';
import { awsClientOptions, awsFailure, isRefusedCredentials } from './aws-options.js';
import { bucketOf, type S3TargetConfig } from './config.js';

/** What the S3 target needs from an object store: the narrow surface tests hand a real client through. */
export interface ObjectStore {
  /** Fails with a clear error when the bucket is missing, unreachable or refuses the credentials. */
  check(): Promise<void>;
  /** Uploads an object, in parts when it is larger than one part; an object of the same key is replaced. */
  put(key: string, body: Uint8Array, contentType: string, metadata?: Record<string, string>): Promise<void>;
  /** The object's text, or null when there is no such object. */
  getText(key: string): Promise<string | null>;
  /** Keys of every object under a prefix. */
  list(prefix: string): Promise<string[]>;
  /** The user metadata of an object. */
  metadata(key: string): Promise<Record<string, string>>;
  remove(keys: readonly string[]): Promise<void>;
  close(): void;
}

const MIB = 1024 * 1024;

/** The S3 client settings of a config: path-style addressing and checksums S3-compatible stores accept. */
export function createS3Client(config: S3TargetConfig): S3Client {
  return new S3Client({
    ...awsClientOptions(config),
    forcePathStyle: config.force_path_style,
    // Checksums only where S3 requires them: S3-compatible stores otherwise keep the
    // aws-chunked framing of streamed bodies as part of the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** An ObjectStore over the AWS SDK: the only place the S3 target's client is created from its config. */
export function createObjectStore(config: S3TargetConfig, client: S3Client = createS3Client(config)): ObjectStore {
  const bucket = bucketOf(config);
  const where = config.endpoint ?? `region ${config.region}`;
  return {
    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        throw explain(error, `cannot use bucket '${bucket}' at ${where}`, bucket);
      }
    },
    async put(key, body, contentType, metadata) {
      try {
        const upload = new Upload({
          client,
          params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType, Metadata: metadata },
          partSize: config.part_size_mb * MIB,
          queueSize: config.upload_concurrency,
          leavePartsOnError: false,
        });
        await upload.done();
      } catch (error) {
        throw explain(error, `cannot upload s3://${bucket}/${key}`, bucket);
      }
    },
    async getText(key) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await answer.Body?.transformToString('utf8')) ?? '';
      } catch (error) {
        if (awsFailure(error).name === 'NoSuchKey') return null;
        throw explain(error, `cannot read s3://${bucket}/${key}`, bucket);
      }
    },
    async list(prefix) {
      const keys: string[] = [];
      try {
        let token: string | undefined;
        do {
          const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
          keys.push(...(page.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k !== ''));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return keys;
      } catch (error) {
        throw explain(error, `cannot list s3://${bucket}/${prefix}`, bucket);
      }
    },
    async metadata(key) {
      try {
        return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).Metadata ?? {};
      } catch (error) {
        throw explain(error, `cannot read s3://${bucket}/${key}`, bucket);
      }
    },
    async remove(keys) {
      // DeleteObjects takes at most 1,000 keys per call.
      for (let start = 0; start < keys.length; start += 1000) {
        const batch = keys.slice(start, start + 1000).map((Key) => ({ Key }));
        try {
          await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
        } catch (error) {
          throw explain(error, `cannot delete objects in s3://${bucket}/`, bucket);
        }
      }
    },
    close() {
      client.destroy();
    },
  };
}

/** Turns an SDK failure into an error that says what to check. */
function explain(error: unknown, what: string, bucket: string): FastlaneError {
  const failure = awsFailure(error);
  const detail = (error as Error)?.message || failure.name;
  if (failure.network) {
    return new FastlaneError('FL_CONNECT', `${what}: the endpoint is unreachable (${detail}); check target.s3.endpoint and region`, { cause: error });
  }
  if (failure.name === 'NoSuchBucket' || failure.name === 'NotFound' || failure.status === 404) {
    return new FastlaneError('FL_TARGET', `${what}: the bucket '${bucket}' does not exist; check target.s3.bucket`, { cause: error });
  }
  if (isRefusedCredentials(error)) {
    return new FastlaneError('FL_CONNECT', `${what}: the credentials were refused (${failure.name}); check the AWS credentials and their rights on the bucket`, { cause: error });
  }
  return new FastlaneError('FL_TARGET', `${what}: ${failure.name}: ${detail}`, { cause: error });
}
