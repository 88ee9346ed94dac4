import { EJSON, type Document } from 'bson';
import { FastlaneError } from '../../errors.js';
import type { FilterObject, SeedFilterEntry } from './config.js';

/** Operators that run JavaScript on the server: a config never gets code evaluated. */
const CODE_OPERATORS = new Set(['$where', '$function', '$accumulator']);

/**
 * The config's filter as a MongoDB query (Extended JSON values decoded exactly: a $numberLong stays
 * a 64-bit integer). Throws FL_CONFIG_INVALID for the seed's eval entries and server-side code.
 */
export function buildFilter(filter: FilterObject | readonly SeedFilterEntry[] | undefined): Document {
  if (filter === undefined) return {};
  const json = Array.isArray(filter) ? seedFilterToJson(filter as readonly SeedFilterEntry[]) : (filter as FilterObject);
  refuseCode(json, 'source.mongodb.filter_fields');
  try {
    return EJSON.deserialize(json as Document, { relaxed: false }) as Document;
  } catch (error) {
    throw new FastlaneError('FL_CONFIG_INVALID', `source.mongodb.filter_fields holds Extended JSON that does not parse: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The seed's list form as a JSON filter: [field, "$op", value, 0] is {field: {$op: value}} and
 * [field, value, "None", 0] is {field: value}. Entries on one field merge their operators.
 */
export function seedFilterToJson(entries: readonly SeedFilterEntry[]): FilterObject {
  const out: Record<string, unknown> = {};
  const evaluated: number[] = [];
  entries.forEach((entry, index) => {
    const [field, opOrValue, value, flag] = entry;
    if (flag === 1) evaluated.push(index);
    const isOperator = typeof opOrValue === 'string' && opOrValue.startsWith('$') && value !== 'None';
    if (!isOperator) {
      out[field] = opOrValue;
      return;
    }
    const existing = out[field];
    const operators = typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? (existing as Record<string, unknown>) : {};
    out[field] = { ...operators, [opOrValue]: value };
  });
  if (evaluated.length > 0) throw evalEntries(entries, evaluated, out);
  return out;
}

function evalEntries(entries: readonly SeedFilterEntry[], indexes: number[], translated: FilterObject): FastlaneError {
  const listed = indexes.map((i) => JSON.stringify(entries[i])).join(', ');
  return new FastlaneError(
    'FL_CONFIG_INVALID',
    `source.mongodb.filter_fields entries ${listed} ask for their value to be evaluated as code (flag 1), which Fastlane never does. ` +
      `Write the filter as a JSON object with Extended JSON values instead, e.g. ${JSON.stringify(translated)} with each evaluated text replaced by its value ` +
      '(a date as {"$date": "2024-01-01T00:00:00Z"}, a 64-bit integer as {"$numberLong": "..."}, an ObjectId as {"$oid": "..."})',
  );
}

function refuseCode(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => refuseCode(item, `${where}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    if (CODE_OPERATORS.has(key)) {
      throw new FastlaneError('FL_CONFIG_INVALID', `${where} uses ${key}, which runs JavaScript on the server: express the condition with query operators`);
    }
    refuseCode(inner, `${where}.${key}`);
  }
}
