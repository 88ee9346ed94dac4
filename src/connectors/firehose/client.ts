import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { FastlaneError } from '../../errors.js';
import { awsClientOptions, awsFailure, isRefusedCredentials } from '../s3/aws-options.js';
import type { FirehoseTargetConfig } from './config.js';

/** A record Firehose refused in a partly failed call, by its index in the call. */
export interface RefusedRecord {
  readonly index: number;
  readonly code: string;
  readonly message: string;
}

/** What the Firehose target needs from the service: the narrow surface tests hand a real client through. */
export interface RecordSink {
  /** Sends one PutRecordBatch call; resolves with the records it refused (empty when all were taken). */
  putRecordBatch(records: readonly Uint8Array[]): Promise<RefusedRecord[]>;
  close(): void;
}

/** A RecordSink over the AWS SDK: the only place the Firehose client is created from its config. */
export function createRecordSink(config: FirehoseTargetConfig, client = new FirehoseClient(awsClientOptions(config))): RecordSink {
  const stream = config.delivery_stream;
  return {
    async putRecordBatch(records) {
      try {
        const answer = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: records.map((Data) => ({ Data })) }));
        if (!answer.FailedPutCount) return [];
        return (answer.RequestResponses ?? []).flatMap((response, index) =>
          response.ErrorCode ? [{ index, code: response.ErrorCode, message: response.ErrorMessage ?? '' }] : []);
      } catch (error) {
        throw explain(error, config);
      }
    },
    close() {
      client.destroy();
    },
  };
}

function explain(error: unknown, config: FirehoseTargetConfig): FastlaneError {
  const failure = awsFailure(error);
  const stream = `delivery stream '${config.delivery_stream}'`;
  const where = config.endpoint ?? `region ${config.region}`;
  if (failure.network) {
    return new FastlaneError('FL_CONNECT', `cannot send to ${stream}: the endpoint ${where} is unreachable; check target.firehose.endpoint and region`, { cause: error });
  }
  if (failure.name === 'ResourceNotFoundException') {
    return new FastlaneError('FL_TARGET', `${stream} does not exist in ${where}; check target.firehose.delivery_stream and region`, { cause: error });
  }
  if (isRefusedCredentials(error)) {
    return new FastlaneError('FL_CONNECT', `cannot send to ${stream}: the credentials were refused (${failure.name}); check the AWS credentials and their firehose:PutRecordBatch right`, { cause: error });
  }
  return new FastlaneError('FL_TARGET', `cannot send to ${stream}: ${failure.name}: ${(error as Error)?.message ?? ''}`, { cause: error });
}
