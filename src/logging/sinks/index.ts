import type winston from 'winston';
import type { LogsConfig } from '../../config/types.js';
import { FastlaneError } from '../../errors.js';
import type { CloudWatchTransport } from './cloudwatch.js';
import { SlackTransport } from './slack.js';

export interface SinkChoice {
  /** `--logs_to_cloudwatch` or the config's `logs.log_to_cloudwatch`. */
  readonly cloudwatch: boolean;
  /** `--logs_to_slack` or the config's `logs.error_log_to_slack`. */
  readonly slack: boolean;
}

export interface LogSinks {
  readonly transports: winston.transport[];
  /** The run's CloudWatch Logs stream, when logs go there. */
  readonly logStream?: string;
  /** Sends what the sinks still hold (end of a run). */
  flush(): Promise<void>;
}

export interface SinkContext {
  readonly pipelineId: string;
  readonly runStart: Date;
  readonly logs: LogsConfig;
  readonly region?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Where a sink reports that it could not deliver (stderr: the logger cannot log its own failure). */
  readonly onError: (error: Error) => void;
}

function cloudWatchClientConfig(context: SinkContext) {
  const env = context.env;
  const endpoint = env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS ?? env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? context.region;
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
    : undefined;
  return { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) };
}

/**
 * The log sinks a run asked for: CloudWatch Logs and Slack (errors only). The CloudWatch SDK is
 * imported only when a run logs there.
 */
export async function createLogSinks(choice: SinkChoice, context: SinkContext): Promise<LogSinks> {
  const sinks: (CloudWatchTransport | SlackTransport)[] = [];
  let logStream: string | undefined;
  if (choice.cloudwatch || context.logs.log_to_cloudwatch) {
    const { CloudWatchTransport, logGroupName, logStreamName } = await import('./cloudwatch.js');
    logStream = logStreamName(context.runStart);
    sinks.push(new CloudWatchTransport({
      logGroup: logGroupName(context.pipelineId),
      logStream,
      client: cloudWatchClientConfig(context),
      onError: context.onError,
    }));
  }
  if (choice.slack || context.logs.error_log_to_slack) {
    const webhookUrl = context.logs.slack_webhook_url ?? context.env.SLACK_WEBHOOK_URL;
    if (!webhookUrl) {
      throw new FastlaneError('FL_USAGE', 'error logs to Slack need an incoming-webhook URL: set logs.slack_webhook_url in the config or SLACK_WEBHOOK_URL');
    }
    sinks.push(new SlackTransport({ webhookUrl, pipelineId: context.pipelineId, onError: context.onError }));
  }
  return {
    transports: sinks,
    ...(logStream ? { logStream } : {}),
    flush: async () => { await Promise.all(sinks.map((s) => s.flush())); },
  };
}
