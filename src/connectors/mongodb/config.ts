/** The validated `source.mongodb` section (defaults come from schemas/source/mongodb.schema.json). */
export interface MongodbSourceConfig {
  readonly uri?: string;
  readonly host?: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  readonly secret?: string;
  readonly secret_region?: string;
  readonly auth_source: string;
  readonly database: string;
  readonly collection: string;
  readonly replication_key: string;
  readonly batch_size: number;
  readonly offset?: number | string;
  readonly filter_fields?: FilterObject | readonly SeedFilterEntry[];
  readonly include_id: boolean;
  /** Field names (types from the sample) or field name -> declared type. */
  readonly columns?: readonly string[] | Readonly<Record<string, string>>;
  readonly nested: 'json' | 'flatten';
  readonly sample_size: number;
  readonly timeout_ms: number;
}

/** A MongoDB query object as the config holds it: plain JSON whose values may be Extended JSON. */
export type FilterObject = Readonly<Record<string, unknown>>;

/** The seed's filter entry: [field, operator_or_value, value_or_"None", eval_flag]. */
export type SeedFilterEntry = readonly [string, unknown, unknown, (0 | 1)?];
