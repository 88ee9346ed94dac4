import type { RetrySettings } from '../../retry.js';

/** TLS settings for the connection: `true` verifies the server against the system CAs. */
export type MysqlSsl = boolean | {
  /** Path of a PEM file with the CA certificates to trust. */
  readonly ca?: string;
  readonly rejectUnauthorized?: boolean;
};

/** What every MySQL section holds to reach the server (host etc. may come from a secret). */
export interface MysqlConnectionConfig {
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly secret?: string;
  readonly secret_region?: string;
  readonly ssl?: MysqlSsl;
  readonly db: string;
  readonly table: string;
  /** Bounds of every wait on the server (defaults in the schemas). */
  readonly connect_timeout_ms?: number;
  readonly query_timeout_ms?: number;
  /** The shared retry policy's settings (schemas/fragments/common.schema.json#/$defs/retry). */
  readonly retry?: RetrySettings;
}

/** The validated `source.mysql` section (defaults come from schemas/source/mysql.schema.json). */
export interface MysqlSourceConfig extends MysqlConnectionConfig {
  readonly key: string;
  readonly batch_size: number;
  readonly offset?: number | string;
  /** A subset of the table's columns, in the order to read them; all of them when absent. */
  readonly columns?: readonly string[];
  /** FULL_TABLE over an integer key: read this many contiguous key ranges over as many connections. */
  readonly partitions: number;
}

/** The validated `target.mysql` section. */
export interface MysqlTargetConfig extends MysqlConnectionConfig {
  readonly key: string;
  readonly batch_size: number;
  readonly concurrency: number;
  /** LOAD DATA LOCAL INFILE, or multi-row INSERT (also the fallback where the server refuses LOCAL). */
  readonly load_method: 'infile' | 'insert';
}
