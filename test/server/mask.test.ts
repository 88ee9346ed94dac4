import { describe, expect, it } from '@jest/globals';
import { MASK, maskSecrets } from '../../src/masking/mask.js';

describe('maskSecrets', () => {
  it('masks secret values and URL passwords, and keeps the rest', () => {
    const config = {
      source: { mysql: { host: 'db', port: 3306, username: 'etl', password: 'p@ss', secret: 'prod/mysql', secret_region: 'eu-west-1' } },
      target: { s3: { aws_secret_access_key: 'AKIA...', uri: 'postgres://u:pw@h/db', list: [{ api_key: 'k' }] } },
      logs: { slack_webhook_url: 'https://hooks.slack.com/services/T/B/X', error_log_to_slack: true },
    };
    expect(maskSecrets(config)).toEqual({
      source: { mysql: { host: 'db', port: 3306, username: 'etl', password: MASK, secret: 'prod/mysql', secret_region: 'eu-west-1' } },
      target: { s3: { aws_secret_access_key: MASK, uri: `postgres://u:${MASK}@h/db`, list: [{ api_key: MASK }] } },
      logs: { slack_webhook_url: MASK, error_log_to_slack: true },
    });
  });
});
