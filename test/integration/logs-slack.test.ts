import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import winston from 'winston';
import { SlackTransport } from '../../src/logging/sinks/slack.js';
import { createPipelineFixture, type PipelineFixture } from '../server/pipeline-fixture.js';
import { SlackWebhookServer } from '../servers/slack-webhook.js';

describe('Slack sink', () => {
  const slack = new SlackWebhookServer();
  let webhook: string;
  beforeAll(async () => { webhook = await slack.start(); });
  afterAll(() => slack.stop());

  it('sends errors only, gathering those within the rate limit into one message', async () => {
    slack.messages.length = 0;
    const sink = new SlackTransport({ webhookUrl: webhook, pipelineId: 'shop.orders.mysql.s3', minIntervalMs: 60_000 });
    const logger = winston.createLogger({ level: 'debug', transports: [sink] });
    logger.info('fine');
    logger.warn('hmm');
    logger.error('first failure 🚨');
    logger.error('second failure');
    logger.error('third failure');
    await sink.flush();
    expect(slack.messages).toEqual([
      { text: 'Fastlane pipeline shop.orders.mysql.s3: first failure 🚨', contentType: 'application/json' },
      { text: 'Fastlane pipeline shop.orders.mysql.s3: second failure\n(and 1 more error since)', contentType: 'application/json' },
    ]);
  });

  it('reports a webhook that fails, without throwing', async () => {
    const errors: Error[] = [];
    const sink = new SlackTransport({ webhookUrl: webhook, pipelineId: 'p', onError: (e) => errors.push(e) });
    slack.failWith = [500];
    winston.createLogger({ transports: [sink] }).error('lost');
    await sink.flush();
    expect(errors.map((e) => e.message)).toEqual(['Slack answered HTTP 500']);
  });

  describe('a failing run with the config\'s logs.error_log_to_slack', () => {
    let fixture: PipelineFixture;
    afterAll(() => fixture.remove());

    it('posts the run\'s errors to the webhook from the config, and the webhook URL is required', async () => {
      slack.messages.length = 0;
      fixture = await createPipelineFixture(100, (config) => {
        config.source.file.path = '/nonexistent/fastlane/orders.csv';
        config.logs = { error_log_to_slack: true, slack_webhook_url: webhook };
      });
      const { code } = await fixture.run([]);
      expect(code).toBe(1);
      expect(slack.messages.length).toBeGreaterThanOrEqual(1);
      expect(slack.messages[0].text).toMatch(/^Fastlane pipeline file\.out\.file\.file: pipeline file\.out\.file\.file failed: .*nonexistent/);
      const withoutUrl = await createPipelineFixture(10);
      try {
        const result = await withoutUrl.run(['--logs_to_slack']);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/SLACK_WEBHOOK_URL/);
      } finally {
        await withoutUrl.remove();
      }
    });
  });
});
