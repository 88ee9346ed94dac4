import { readFile } from 'node:fs/promises';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * The unscaled integers of a DECIMAL column as hyparquet reads the bytes (its own decimal
 * conversion goes through a float): the logical type is dropped, the big-endian two's
 * complement bytes decoded here.
 */
export async function rawDecimals(file: string, column: string): Promise<(bigint | null)[]> {
  const bytes = await readFile(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  for (const element of metadata.schema) {
    if (element.name !== column) continue;
    delete (element as { converted_type?: unknown }).converted_type;
    delete (element as { logical_type?: unknown }).logical_type;
  }
  const rows = await parquetReadObjects({ file: buffer, metadata, compressors, columns: [column] });
  return rows.map((row) => {
    const value = row[column] as Uint8Array | null | undefined;
    if (value === null || value === undefined) return null;
    const unsigned = BigInt(`0x${Buffer.from(value).toString('hex') || '0'}`);
    return BigInt.asIntN(value.length * 8, unsigned);
  });
}

/** The unscaled integer of a decimal text at a scale: '1.5' at scale 3 is 1500n. */
export function unscaled(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const value = BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
  return negative ? -value : value;
}

/** Microseconds since the epoch of 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' taken as UTC. */
export function utcMicros(text: string): bigint {
  const [date, time = '00:00:00'] = text.split(' ');
  const [clock, fraction = ''] = time.split('.');
  const millis = Date.parse(`${date}T${clock}Z`);
  return BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, '0'));
}

/** Microseconds of a MySQL TIME text '[-]H:MM:SS[.ffffff]'. */
export function timeMicros(text: string): bigint {
  const negative = text.startsWith('-');
  const [h, m, s] = text.replace('-', '').split(':');
  const [whole, fraction = ''] = s.split('.');
  const micros = ((BigInt(h) * 60n + BigInt(m)) * 60n + BigInt(whole)) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  return negative ? -micros : micros;
}
