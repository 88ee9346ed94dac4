import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decimal128, Int32, type Document } from 'bson';
import { REPO_ROOT } from './pipeline.js';

export const PLANETS_CSV = join(REPO_ROOT, 'test', 'fixtures', 'data', 'planets_dataset.csv');

const DECIMALS = new Set(['pl_orbper', 'pl_msinij', 'st_dist']);

/** The CSV's rows as text (null for an empty field), header first. */
export async function planetsCsv(): Promise<{ header: string[]; rows: (string | null)[][] }> {
  const [header, ...lines] = (await readFile(PLANETS_CSV, 'utf8')).split(/\r?\n/).filter((line) => line.length > 0);
  return { header: header.split(','), rows: lines.map((line) => line.split(',').map((f) => (f === '' ? null : f))) };
}

/** The planets as documents, as the seed's test loaded them: numbers typed, empty fields left out. */
export async function planetDocuments(): Promise<Document[]> {
  const { header, rows } = await planetsCsv();
  return rows.map((row) => {
    const doc: Document = {};
    header.forEach((name, i) => {
      const value = row[i];
      if (value === null) return;
      doc[name] = name === 'pl_discmethod' ? value : DECIMALS.has(name) ? Decimal128.fromString(value) : new Int32(Number(value));
    });
    return doc;
  });
}

/** A decimal's text without insignificant zeros, to compare values written at different scales. */
export function normalizedNumber(text: string | null): string | null {
  if (text === null || !text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}
