import { loadServiceAccountKey } from '../../src/connectors/bigquery/credentials.js';
import { fetchAccessToken } from '../../src/connectors/bigquery/token.js';
import type { FieldSchema, StoredTable } from '../servers/bigquery.js';
import type { RealBigQuery } from './bigquery-env.js';

const API = 'https://bigquery.googleapis.com/bigquery/v2';
const SQL_TYPES: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };

function sqlType(field: FieldSchema, element = false): string {
  const base = SQL_TYPES[field.type] ?? field.type;
  const type = base === 'STRUCT' ? `STRUCT<${(field.fields ?? []).map((f) => `\`${f.name}\` ${sqlType(f)}`).join(', ')}>` : base;
  return field.mode === 'REPEATED' && !element ? `ARRAY<${type}>` : type;
}

/** A GoogleSQL literal of a value in the API's JSON form, typed as its field. */
function literal(field: FieldSchema, value: unknown, element = false): string {
  if (field.mode === 'REPEATED' && !element) {
    return `ARRAY<${sqlType(field, true)}>[${(value as { v: unknown }[]).map((item) => literal(field, item.v, true)).join(', ')}]`;
  }
  if (value === null || value === undefined) return `CAST(NULL AS ${sqlType(field, true)})`;
  const text = value as string;
  switch (SQL_TYPES[field.type] ?? field.type) {
    case 'STRUCT': {
      const cells = (value as { f: { v: unknown }[] }).f;
      return `${sqlType({ ...field, mode: undefined })}(${(field.fields ?? []).map((f, i) => literal(f, cells[i].v)).join(', ')})`;
    }
    case 'STRING': return JSON.stringify(text);
    case 'BYTES': return `FROM_BASE64(${JSON.stringify(text)})`;
    case 'TIMESTAMP': return `TIMESTAMP_MICROS(${text})`;
    case 'JSON': return `PARSE_JSON(${JSON.stringify(text)})`;
    case 'GEOGRAPHY': return `ST_GEOGFROMTEXT(${JSON.stringify(text)})`;
    default: return `CAST(${JSON.stringify(text)} AS ${sqlType(field, true)})`;
  }
}

/** Creates and drops tables in a real BigQuery dataset through the REST API, with the source's own token code. */
export class RealBigQueryTables {
  private token: Promise<string> | null = null;

  constructor(private readonly real: RealBigQuery) {}

  private accessToken(): Promise<string> {
    this.token ??= loadServiceAccountKey({ credentials_file: this.real.credentialsFile } as never).then((key) => fetchAccessToken(key, 60_000)).then((t) => t.access_token);
    return this.token;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${API}/projects/${this.real.project}${path}`, {
      method, headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(120_000),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`BigQuery ${method} ${path}: ${JSON.stringify(answer.error)}`);
    return answer;
  }

  /** Runs one statement to its end. */
  async run(sql: string): Promise<void> {
    let answer = await this.call('POST', '/queries', { query: sql, useLegacySql: false, timeoutMs: 60_000 });
    const job = answer.jobReference as { jobId: string; location: string };
    while (!answer.jobComplete) answer = await this.call('GET', `/queries/${job.jobId}?location=${job.location}&maxResults=0&timeoutMs=60000`);
  }

  async create(name: string, table: StoredTable): Promise<void> {
    const selects = table.rows.map((row, r) => `SELECT ${table.schema.map((f, i) => `${literal(f, row[i])}${r === 0 ? ` AS \`${f.name}\`` : ''}`).join(', ')}`);
    await this.run(`CREATE OR REPLACE TABLE \`${this.real.project}.${this.real.dataset}.${name}\` AS\n${selects.join('\nUNION ALL\n')}`);
  }

  async drop(name: string): Promise<void> {
    await this.run(`DROP TABLE IF EXISTS \`${this.real.project}.${this.real.dataset}.${name}\``);
  }
}
