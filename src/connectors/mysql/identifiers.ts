import { FastlaneError } from '../../errors.js';

/** What the schemas accept for db, table and column names; checked again here, before any SQL. */
const IDENTIFIER = /^[A-Za-z0-9_$]{1,64}$/;

/**
 * A back-quoted identifier. Names come from configs and from INFORMATION_SCHEMA; a backquote
 * inside is doubled, so even a name validation did not see cannot end the quoting.
 */
export function quoteName(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** Refuses a configured name that is not a plain identifier, then quotes it. */
export function checkedName(name: string, where: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new FastlaneError('FL_CONFIG_INVALID', `${where} '${name}' is not a valid name: use 1-64 letters, digits, _ or $`);
  }
  return quoteName(name);
}

/** `db`.`table`, both checked. */
export function qualifiedTable(db: string, table: string, section: string): string {
  return `${checkedName(db, `${section}.db`)}.${checkedName(table, `${section}.table`)}`;
}
