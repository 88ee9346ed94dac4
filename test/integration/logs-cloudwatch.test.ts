import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import winston from 'winston';
import { CloudWatchTransport, logGroupName, logStreamName } from '../../src/logging/sinks/cloudwatch.js';
import { CloudWatchLogReader } from '../../src/server/cloudwatch-reader.js';
import { startTestServer, type TestServer } from '../server/app.js';
import { createPipelineFixture, type PipelineFixture } from '../server/pipeline-fixture.js';
import { CloudWatchLogsServer } from '../servers/cloudwatch-logs.js';

const CREDENTIALS = { accessKeyId: 'AKIDFASTLANETEST', secretAccessKey: 'not-a-secret' };

describe('CloudWatch Logs sink and reader', () => {
  const cloudwatch = new CloudWatchLogsServer();
  let endpoint: string;
  let client: CloudWatchLogsClient;
  beforeAll(async () => {
    endpoint = await cloudwatch.start();
    client = new CloudWatchLogsClient({ endpoint, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await cloudwatch.stop();
  });

  it('names the group after the pipeline and the stream after the run start', () => {
    expect(logGroupName('shop.orders.mysql.s3')).toBe('shop.orders.mysql.s3');
    expect(logGroupName('a b:c')).toBe('a_b_c');
    expect(logStreamName(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03-04-05.678Z');
  });

  it('sends every line in order, in batches by count and size, through failures', async () => {
    const errors: Error[] = [];
    const sink = new CloudWatchTransport({ logGroup: 'p.one', logStream: 's1', client, maxEvents: 10, maxBytes: 2000, retryBaseMs: 1, onError: (e) => errors.push(e) });
    const logger = winston.createLogger({ level: 'debug', transports: [sink] });
    cloudwatch.failNextPuts(2);
    const sent = Array.from({ length: 25 }, (_, i) => `line ${i} ${i % 5 === 0 ? '🚀 ünïcödé' : 'x'.repeat(i * 10)}`);
    sent.forEach((message, i) => logger.log(i % 7 === 0 ? 'error' : 'info', message));
    await sink.flush();
    const stored = cloudwatch.events('p.one', 's1');
    expect(stored.map((e) => e.message)).toEqual(sent.map((m, i) => `${i % 7 === 0 ? 'error' : 'info'} ${m}`));
    expect(errors).toEqual([]);
    const puts = cloudwatch.calls.filter((c) => c === 'PutLogEvents').length;
    expect(puts).toBeGreaterThanOrEqual(3 + 2);
    expect(cloudwatch.calls.slice(0, 2)).toEqual(['CreateLogGroup', 'CreateLogStream']);
    const read = await new CloudWatchLogReader(client).read('p.one', 's1', 100);
    expect(read.map((e) => e.message)).toEqual(stored.map((e) => e.message));
    const page = await new CloudWatchLogReader(client).read('p.one', 's1', 7);
    expect(page).toHaveLength(7);
  });

  it('reports a batch it gives up on, without throwing', async () => {
    const errors: Error[] = [];
    const sink = new CloudWatchTransport({ logGroup: 'p.two', logStream: 's1', client, maxAttempts: 2, retryBaseMs: 1, onError: (e) => errors.push(e) });
    const logger = winston.createLogger({ transports: [sink] });
    cloudwatch.failNextPuts(2, 'ThrottlingException', 400);
    logger.info('lost');
    await sink.flush();
    logger.info('kept');
    await sink.flush();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/dropped 1 log lines after 2 tries: ThrottlingException/)]);
    expect(cloudwatch.events('p.two', 's1').map((e) => e.message)).toEqual(['info kept']);
  });

  describe('a run with --logs_to_cloudwatch and --api', () => {
    let server: TestServer;
    let fixture: PipelineFixture;
    beforeAll(async () => {
      server = await startTestServer({ cloudWatchLogs: new CloudWatchLogReader(client) });
      fixture = await createPipelineFixture(1500);
    });
    afterAll(async () => {
      await fixture.remove();
      await server.close();
    });

    it('logs to group = pipeline id, stream = start time, and GET logs answers them from CloudWatch', async () => {
      const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
      const env = { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey };
      const { code, stderr } = await fixture.run([`--api=${url}`, '--logs_to_cloudwatch'], env);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const runs = await server.call('GET', '/api/pipelines');
      const pipelineId = runs.body[0].id as string;
      const run = (await server.call('GET', `/api/pipeline/run/latest?pipeline_id=${pipelineId}`)).body;
      expect(run.cloudwatch_log_stream).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
      const stored = cloudwatch.events(pipelineId, run.cloudwatch_log_stream).map((e) => e.message);
      expect(stored).toEqual(expect.arrayContaining([expect.stringMatching(/^info pipeline .* starting after offset/), expect.stringMatching(/^info completed: /)]));
      const logs = await server.call('GET', `/api/pipeline/run/logs?pipeline_run_id=${run.id}`);
      expect(logs.body.source).toBe('cloudwatch');
      expect(logs.body.logs.map((l: { message: string }) => l.message)).toEqual(stored);
    });
  });
});
