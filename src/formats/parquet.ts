import { createRequire } from 'node:module';
import { openAsBlob } from 'node:fs';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm/node';
import { ipcStreamOf } from '../pipeline/ipc.js';

let loaded: typeof ParquetWasm | undefined;

/**
 * parquet-wasm's Node build (CommonJS), loaded on first use: compiling its WebAssembly costs a
 * tenth of a second, which threads that never write Parquet should not pay.
 */
function wasm(): typeof ParquetWasm {
  loaded ??= createRequire(import.meta.url)('parquet-wasm/node') as typeof ParquetWasm;
  return loaded;
}

export type ParquetCompression = 'zstd' | 'snappy' | 'gzip' | 'lz4' | 'none';

const CODEC_NAMES: Record<ParquetCompression, keyof typeof ParquetWasm.Compression> = {
  zstd: 'ZSTD',
  snappy: 'SNAPPY',
  gzip: 'GZIP',
  lz4: 'LZ4_RAW',
  none: 'UNCOMPRESSED',
};

export interface ParquetWriteOptions {
  readonly compression: ParquetCompression;
  readonly rowGroupSize: number;
}

/**
 * Encodes an Arrow table as one Parquet file. Arrow types carry over: int64/uint64, decimals,
 * timestamps in microseconds (UTC), binary; the Arrow schema is embedded for Arrow readers.
 */
export function encodeParquet(table: Table, options: ParquetWriteOptions): Uint8Array {
  const parquet = wasm();
  // The bytes a worker received, when the table is unchanged: no decode and re-serialize.
  const wasmTable = parquet.Table.fromIPCStream(ipcStreamOf(table) ?? tableToIPC(table, 'stream'));
  const properties = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression[CODEC_NAMES[options.compression]])
    .setMaxRowGroupSize(options.rowGroupSize)
    .setCreatedBy('fastlane')
    .build();
  return parquet.writeParquet(wasmTable, properties);
}

/** Reads a Parquet file one row group at a time, so memory holds one group, not the file. */
export async function* readParquetFile(path: string): AsyncGenerator<Table> {
  const file = await wasm().ParquetFile.fromFile(await openAsBlob(path));
  try {
    const groups = file.metadata().numRowGroups();
    for (let group = 0; group < groups; group++) {
      const wasmTable = await file.read({ rowGroups: [group], batchSize: 65536 });
      yield tableFromIPC(wasmTable.intoIPCStream());
    }
  } finally {
    file.free();
  }
}
