import { describe, expect, it } from '@jest/globals';
import { CsvByteParser } from '../../src/connectors/file/csv-bytes.js';

/** Parses text fed in chunks cut at every line feed, as the file reader cuts them. */
function parse(text: string, cutEveryLine = true): { fields: string[]; line: number }[] {
  const parser = new CsvByteParser(','.charCodeAt(0));
  const records: { fields: string[]; line: number }[] = [];
  const onRecord = (record: { count: number; text(i: number): string }, line: number) =>
    records.push({ fields: Array.from({ length: record.count }, (_, i) => record.text(i)), line });
  const bytes = Buffer.from(text, 'utf8');
  const cuts = cutEveryLine ? [...bytes.entries()].filter(([, b]) => b === 0x0a).map(([i]) => i + 1) : [];
  let start = 0;
  for (const cut of cuts) {
    parser.feed(bytes.subarray(start, cut), false, onRecord);
    start = cut;
  }
  parser.feed(bytes.subarray(start), true, onRecord);
  return records;
}

describe('CSV on bytes', () => {
  it('reads quoted fields with escapes and line breaks across chunks, CRLF, and counts lines', () => {
    const text = 'a,b,c\r\n1,"x ""y""\nz",😀\r\n\n2,,""\n3,"",last';
    expect(parse(text)).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', 'x "y"\nz', '😀'], line: 2 },
      { fields: ['2', '', ''], line: 5 },
      { fields: ['3', '', 'last'], line: 6 },
    ]);
    expect(parse(text, false)).toEqual(parse(text));
  });

  it('refuses an unterminated quote and text after a closing quote', () => {
    expect(() => parse('a\n"open\n')).toThrow(/unterminated quoted field starting on line 2/);
    expect(() => parse('a,b\n"x"y,1\n')).toThrow(/line 2: unexpected character after a closing quote/);
  });
});
