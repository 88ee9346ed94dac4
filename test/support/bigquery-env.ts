import type { BigQueryTestServer } from '../servers/bigquery.js';

/**
 * The same suite runs against the real BigQuery when these are set (see docs/connectors/bigquery.md):
 * FASTLANE_TEST_BIGQUERY_CREDENTIALS (a service-account key file), FASTLANE_TEST_BIGQUERY_PROJECT and
 * FASTLANE_TEST_BIGQUERY_DATASET (a dataset the account may create tables in).
 */
export interface RealBigQuery {
  readonly credentialsFile: string;
  readonly project: string;
  readonly dataset: string;
}

export function realBigQuery(env: NodeJS.ProcessEnv = process.env): RealBigQuery | null {
  const credentialsFile = env.FASTLANE_TEST_BIGQUERY_CREDENTIALS;
  const project = env.FASTLANE_TEST_BIGQUERY_PROJECT;
  const dataset = env.FASTLANE_TEST_BIGQUERY_DATASET;
  return credentialsFile && project && dataset ? { credentialsFile, project, dataset } : null;
}

/** A `source.bigquery` section reading `table` from the test server (project `test-project`, dataset `ds`). */
export function serverSection(server: BigQueryTestServer, keyFile: string, table: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { gcp_project: 'test-project', dataset_id: 'ds', table_id: table, credentials_file: keyFile, endpoint: server.url, ...extra };
}
