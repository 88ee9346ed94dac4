/**
 * Dates and times as clients send them: ISO 8601 or the seed's `YYYY-MM-DD HH:MM:SS.ffffff`,
 * UTC unless a zone is given. They are checked here and then handed to PostgreSQL as text, so
 * microseconds survive (a JavaScript Date keeps milliseconds only) and every accepted text is
 * one PostgreSQL reads.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-](\d{2})(?::?(\d{2}))?)?$/i;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function inRange(text: string | undefined, max: number): boolean {
  return text === undefined || Number(text) <= max;
}

/** True when `text` is a date and time both this server and PostgreSQL read the same way. */
export function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (!inRange(m[4], 23) || !inRange(m[5], 59) || !inRange(m[6], 59)) return false;
  // A zone is given as Z, +HH, +HHMM or +HH:MM; PostgreSQL takes offsets up to 15:59.
  return inRange(m[8], 15) && inRange(m[9], 59);
}

/** PostgreSQL's timestamptz as ISO 8601 UTC text with all six fraction digits. */
export function isoMicros(column: string, alias = column): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ${alias}`;
}
