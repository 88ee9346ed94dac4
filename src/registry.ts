import type { Source } from './stages/source.js';
import type { Target } from './stages/target.js';
import type { Transform } from './stages/transform.js';
import type { StageContext } from './stages/context.js';
import { FastlaneError } from './errors.js';

/** Fields every connector section may carry; the schemas' shared fragments define them. */
export interface StageSizing {
  readonly batch_size?: number;
  readonly concurrency?: number;
}

export interface ConnectorSchema {
  readonly $id: string;
  readonly [keyword: string]: unknown;
}

interface ConnectorBase {
  /** The name used in configs and on the command line. */
  readonly type: string;
  /** Other names accepted for the same connector (the seed's `athena` for `s3`). */
  readonly aliases?: readonly string[];
  /**
   * The connector's JSON Schema: a path relative to schemas/ for built-in connectors, or the
   * schema itself (with an `$id`) for connectors loaded by --plugin.
   */
  readonly schema: string | ConnectorSchema;
  /**
   * URL of the module whose default export is this connector: worker threads import it to build
   * their own instance, so connectors outside this package work in workers too.
   */
  readonly module: string;
}

export interface SourceConnector<C = never> extends ConnectorBase {
  /**
   * `fastlane check`: connects and checks, moving no data, that what the section names exists
   * and the credentials can read (source) or write (target). One sentence per problem; none
   * when all is well. Loads its implementation lazily, like create.
   */
  check?(config: C): Promise<string[]>;

  /**
   * Mistakes in a schema-valid section that the schema cannot express, found without connecting
   * (a column type that cannot exist...): one `field: what is wrong` line each, the field
   * relative to the section. `validate` reports them beside the schema's errors.
   */
  checkConfig?(config: C): string[];

  /** One line for `--dry-run` (what is read or written, without secrets). */
  describe?(config: C): string;
  /** May load the implementation lazily, so a run imports only the libraries it uses. */
  create(config: C, context: StageContext): Source | Promise<Source>;
}

export interface TransformConnector<C = never> extends ConnectorBase {
  /** One line for `--dry-run` (what is read or written, without secrets). */
  describe?(config: C): string;
  /** True when, with this config, every batch comes out as it went in: the run then starts no transform threads. */
  passesThrough?(config: C): boolean;
  create(config: C, context: StageContext): Transform | Promise<Transform>;
}

export interface TargetConnector<C = never> extends ConnectorBase {
  /**
   * `fastlane check`: connects and checks, moving no data, that what the section names exists
   * and the credentials can read (source) or write (target). One sentence per problem; none
   * when all is well. Loads its implementation lazily, like create.
   */
  check?(config: C): Promise<string[]>;

  /**
   * Mistakes in a schema-valid section that the schema cannot express, found without connecting
   * (a column type that cannot exist...): one `field: what is wrong` line each, the field
   * relative to the section. `validate` reports them beside the schema's errors.
   */
  checkConfig?(config: C): string[];

  /** One line for `--dry-run` (what is read or written, without secrets). */
  describe?(config: C): string;
  /** Unique within the destination (the seed's `target_id`), e.g. `{db}.{table}`. */
  targetId(config: C): string;
  /** May load the implementation lazily, so a run imports only the libraries it uses. */
  create(config: C, context: StageContext): Target | Promise<Target>;
}

export type StageKind = 'source' | 'transform' | 'target';

interface ConnectorByKind {
  source: SourceConnector<never>;
  transform: TransformConnector<never>;
  target: TargetConnector<never>;
}

/** Maps type names to connectors, per stage kind. The pipeline asks it; it never switches on names. */
export class Registry {
  private readonly byKind: { [K in StageKind]: Map<string, ConnectorByKind[K]> } = {
    source: new Map(),
    transform: new Map(),
    target: new Map(),
  };

  register<K extends StageKind>(kind: K, connector: ConnectorByKind[K]): this {
    for (const name of [connector.type, ...(connector.aliases ?? [])]) {
      if (this.byKind[kind].has(name)) {
        throw new FastlaneError('FL_INTERNAL', `two ${kind} connectors claim the type name '${name}'`);
      }
      this.byKind[kind].set(name, connector);
    }
    return this;
  }

  get<K extends StageKind>(kind: K, type: string): ConnectorByKind[K] {
    const connector = this.byKind[kind].get(type);
    if (!connector) {
      throw new FastlaneError(
        'FL_UNKNOWN_CONNECTOR',
        `unknown ${kind} type '${type}'; available: ${this.names(kind).join(', ')}`,
      );
    }
    return connector;
  }

  has(kind: StageKind, type: string): boolean {
    return this.byKind[kind].has(type);
  }

  /** Every accepted name, aliases included, sorted. */
  names(kind: StageKind): string[] {
    return [...this.byKind[kind].keys()].sort();
  }

  /** Each connector once, under its main type name. */
  connectors<K extends StageKind>(kind: K): ConnectorByKind[K][] {
    return [...new Set(this.byKind[kind].values())];
  }
}
