import { FastlaneError } from '../../errors.js';

/** What the schema accepts, checked again before any name reaches SQL or a URL. */
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;
const TABLE = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd} ]{1,1024}$/u;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,299}$/;

function checked(pattern: RegExp, name: string, where: string, rule: string): string {
  if (!pattern.test(name)) throw new FastlaneError('FL_CONFIG_INVALID', `${where} '${name}' is not a valid name: ${rule}`);
  return name;
}

/**
 * A back-quoted GoogleSQL identifier. Validation already keeps out backquotes and backslashes;
 * escaping them anyway means no name can end the quoting.
 */
export function quoteName(name: string): string {
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

export function checkedProject(name: string): string {
  return checked(PROJECT, name, 'source.bigquery.gcp_project', 'use letters, digits, -, _, . and :');
}

export function checkedDataset(name: string): string {
  return checked(DATASET, name, 'source.bigquery.dataset_id', 'use letters, digits and _');
}

export function checkedTable(name: string): string {
  return checked(TABLE, name, 'source.bigquery.table_id', 'use letters, digits, _, - and spaces');
}

export function checkedColumn(name: string, where: string): string {
  return checked(COLUMN, name, where, 'use letters, digits and _, not starting with a digit');
}

/** `project.dataset.table`, quoted as one path. */
export function quotedTablePath(project: string, dataset: string, table: string): string {
  return quoteName(`${checkedProject(project)}.${checkedDataset(dataset)}.${checkedTable(table)}`);
}
