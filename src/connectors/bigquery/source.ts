import { randomUUID } from 'node:crypto';
import { BigQuery } from '@google-cloud/bigquery';
import type { Source, SourceBatch } from '../../stages/source.js';
import type { Offset } from '../../stages/offset.js';
import type { StageContext } from '../../stages/context.js';
import { FastlaneError } from '../../errors.js';
import { describeInput, type BigQuerySourceConfig } from './config.js';
import { loadServiceAccountKey } from './credentials.js';
import { serviceAccountAuthClient } from './token.js';
import { clientRest, type BigQueryRest, type RawField, type RawQueryResponse, type RawRow, type RawTable } from './rest.js';
import { apiError } from './errors.js';
import { checkedColumn, checkedDataset, checkedProject, checkedTable, quoteName, quotedTablePath } from './identifiers.js';
import { keyOffset, keyParameterType, startParameter } from './key.js';
import { orderedPages, type PageReader } from './pages.js';
import { planColumns } from './decode/column-plan.js';
import { PageDecoder } from './decode/page-decoder.js';

const DEFAULT_ENDPOINT = 'https://bigquery.googleapis.com';
/** Each wait on a query job asks the API to hold the answer this long at most. */
const POLL_MS = 10_000;
const INT64_TIMESTAMPS = { 'formatOptions.useInt64Timestamp': true };

/** What open() found to read: rows by start index, their schema and how many the API reported. */
interface Input {
  readonly fields: readonly RawField[];
  readonly knownRows: number;
  readonly read: PageReader;
}

/**
 * Reads a BigQuery table (tabledata.list) or a query's result (jobs.query, then getQueryResults)
 * in pages by start index, several requested at once. With a `key`, rows are read through a query
 * ordered by it, so every page carries the offset of its last row.
 */
class BigQuerySource implements Source {
  private rest: BigQueryRest | null = null;
  private readonly endpoint: string;
  private readonly where: string;

  constructor(private readonly config: BigQuerySourceConfig, private readonly context: StageContext, rest?: BigQueryRest) {
    this.rest = rest ?? null;
    this.endpoint = config.endpoint ?? DEFAULT_ENDPOINT;
    this.where = `BigQuery ${describeInput(config)}`;
    checkedProject(config.gcp_project);
    if (config.query === undefined) quotedTablePath(config.gcp_project, config.dataset_id ?? '', config.table_id ?? '');
    if (config.key !== undefined) checkedColumn(config.key, 'source.bigquery.key');
    if (context.replicationMode === 'INCREMENTAL' && config.key === undefined) {
      throw new FastlaneError('FL_CONFIG_INVALID', 'an INCREMENTAL run from BigQuery needs source.bigquery.key: the column rows are ordered and resumed by');
    }
  }

  async open(): Promise<void> {
    if (this.rest) return;
    const key = await loadServiceAccountKey(this.config);
    const timeout = this.config.timeout_seconds * 1000;
    const client = new BigQuery({
      projectId: this.config.gcp_project,
      apiEndpoint: this.endpoint,
      authClient: serviceAccountAuthClient(key, timeout) as never,
      timeout,
      maxRetries: 5,
    } as never);
    this.rest = clientRest(client, this.config.gcp_project);
  }

  private call<T>(what: string, request: (rest: BigQueryRest) => Promise<T>): Promise<T> {
    const hint = this.config.query === undefined
      ? 'check source.bigquery.gcp_project, dataset_id and table_id'
      : 'check source.bigquery.gcp_project and the tables the query names';
    return request(this.rest as BigQueryRest).catch((error: unknown) => {
      throw apiError(error, `${this.where}: ${what}`, hint, this.endpoint);
    });
  }

  batches(startAfter: Offset | null): AsyncIterable<SourceBatch> {
    return this.read(startAfter);
  }

  private async *read(startAfter: Offset | null): AsyncGenerator<SourceBatch> {
    const input = await this.openInput(startAfter);
    const decoder = new PageDecoder(planColumns(input.fields, this.config.bignumeric_as_text), this.where);
    const keyIndex = this.config.key === undefined ? -1 : input.fields.findIndex((f) => f.name === this.config.key);
    const keyType = keyIndex < 0 ? '' : keyParameterType(this.config.key as string, input.fields[keyIndex].type);
    for await (const page of orderedPages(input.read, this.config.batch_size, this.config.concurrency, input.knownRows)) {
      const table = decoder.decode(page.rows, page.start);
      const lastKey = keyIndex < 0 ? undefined : keyOffset(page.rows[page.rows.length - 1].f[keyIndex].v, keyType);
      yield { table, lastKey };
    }
  }

  /** The table itself when nothing orders it; otherwise a query job over the table or `query`. */
  private async openInput(startAfter: Offset | null): Promise<Input> {
    if (this.config.query === undefined && this.config.key === undefined) {
      const table = await this.tableMetadata();
      // tabledata.list reads tables only: views and external tables are read through a query.
      if (table.type === undefined || table.type === 'TABLE') return this.tableInput(table);
    }
    return this.queryInput(startAfter);
  }

  private tablePath(): string {
    return `/datasets/${encodeURIComponent(checkedDataset(this.config.dataset_id ?? ''))}/tables/${encodeURIComponent(checkedTable(this.config.table_id ?? ''))}`;
  }

  private tableMetadata(): Promise<RawTable> {
    return this.call('reading the table schema', (rest) => rest.get<RawTable>(this.tablePath(), {}));
  }

  private tableInput(table: RawTable): Input {
    const path = `${this.tablePath()}/data`;
    return {
      fields: table.schema?.fields ?? [],
      knownRows: Number(table.numRows ?? 0),
      read: async (start, count) => {
        const page = await this.call(`reading rows from ${start}`, (rest) => rest.getPage<{ rows?: RawRow[] }>(path, { startIndex: start, maxResults: count, ...INT64_TIMESTAMPS }));
        return page.rows ?? [];
      },
    };
  }

  /** The SQL that reads the input, ordered by the key and after `@start` when there is one. */
  private sql(filtered: boolean): string {
    const from = this.config.query === undefined
      ? quotedTablePath(this.config.gcp_project, this.config.dataset_id ?? '', this.config.table_id ?? '')
      : `(\n${this.config.query}\n)`;
    if (this.config.key === undefined) return `SELECT * FROM ${from}`;
    const key = quoteName(checkedColumn(this.config.key, 'source.bigquery.key'));
    return `SELECT * FROM ${from}${filtered ? ` WHERE ${key} > @start` : ''} ORDER BY ${key}`;
  }

  private async queryInput(startAfter: Offset | null): Promise<Input> {
    if (this.config.key !== undefined && (startAfter !== null || this.config.query === undefined)) {
      // The key's type (the parameter's) from the table, or from the query's empty result.
      const fields = this.config.query === undefined
        ? (await this.tableMetadata()).schema?.fields ?? []
        : (await this.runQuery(`SELECT * FROM (\n${this.config.query}\n) LIMIT 0`, [])).fields;
      const parameterType = keyParameterType(this.config.key, fields.find((f) => f.name === this.config.key)?.type);
      const start = startParameter(startAfter, parameterType);
      if (start !== null) return this.runKeyQuery(start, parameterType);
    }
    return this.runKeyQuery(null, '');
  }

  private async runKeyQuery(start: string | null, parameterType: string): Promise<Input> {
    const parameters = start === null ? [] : [{ name: 'start', parameterType: { type: parameterType }, parameterValue: { value: start } }];
    const job = await this.runQuery(this.sql(start !== null), parameters);
    return { fields: job.fields, knownRows: job.totalRows, read: job.read };
  }

  /** Runs a query job to its end (bounded by query_timeout_seconds); its rows are then read by start index. */
  private async runQuery(sql: string, parameters: unknown[]): Promise<Input & { totalRows: number }> {
    const body = {
      query: sql, useLegacySql: false, parameterMode: 'NAMED', queryParameters: parameters, maxResults: 0, timeoutMs: POLL_MS,
      // Lets the client retry the POST without starting a second job.
      requestId: randomUUID(), formatOptions: { useInt64Timestamp: true },
    };
    let answer = await this.call('starting the query job', (rest) => rest.post<RawQueryResponse>('/queries', body));
    const reference = answer.jobReference;
    if (!reference) throw new FastlaneError('FL_SOURCE', `${this.where}: the API started no query job`);
    const path = `/queries/${encodeURIComponent(reference.jobId)}`;
    const location: Record<string, string> = reference.location === undefined ? {} : { location: reference.location };
    const deadline = Date.now() + this.config.query_timeout_seconds * 1000;
    while (!answer.jobComplete) {
      if (Date.now() > deadline) throw new FastlaneError('FL_SOURCE', `${this.where}: query job ${reference.jobId} did not finish within ${this.config.query_timeout_seconds} s (source.bigquery.query_timeout_seconds)`);
      answer = await this.call('waiting for the query job', (rest) => rest.get<RawQueryResponse>(path, { maxResults: 0, timeoutMs: POLL_MS, ...location }));
    }
    return {
      fields: answer.schema?.fields ?? [],
      totalRows: Number(answer.totalRows ?? 0),
      knownRows: Number(answer.totalRows ?? 0),
      read: async (start, count) => {
        const page = await this.call(`reading query results from row ${start}`, (rest) => rest.getPage<RawQueryResponse>(path, { startIndex: start, maxResults: count, ...location, ...INT64_TIMESTAMPS }));
        return page.rows ?? [];
      },
    };
  }

  async close(): Promise<void> {
    this.rest = null;
  }
}

/** Builds the source (the connector in ./connector.js imports this module only when a run uses it). */
export function createBigQuerySource(config: BigQuerySourceConfig, context: StageContext, rest?: BigQueryRest): Source {
  return new BigQuerySource(config, context, rest);
}
