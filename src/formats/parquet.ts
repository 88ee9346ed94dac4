import { createRequire } from 'node:module';
import { openAsBlob } from 'node:fs';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm/node';

// parquet-wasm's Node build is CommonJS; loading it once per thread compiles its WebAssembly once.
const parquet = createRequire(import.meta.url)('parquet-wasm/node') as typeof ParquetWasm;

export type ParquetCompression = 'zstd' | 'snappy' | 'gzip' | 'lz4' | 'none';

const CODECS: Record<ParquetCompression, ParquetWasm.Compression> = {
  zstd: parquet.Compression.ZSTD,
  snappy: parquet.Compression.SNAPPY,
  gzip: parquet.Compression.GZIP,
  lz4: parquet.Compression.LZ4_RAW,
  none: parquet.Compression.UNCOMPRESSED,
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
  const wasmTable = parquet.Table.fromIPCStream(tableToIPC(table, 'stream'));
  const properties = new parquet.WriterPropertiesBuilder()
    .setCompression(CODECS[options.compression])
    .setMaxRowGroupSize(options.rowGroupSize)
    .setCreatedBy('fastlane')
    .build();
  return parquet.writeParquet(wasmTable, properties);
}

/** Reads a Parquet file one row group at a time, so memory holds one group, not the file. */
export async function* readParquetFile(path: string): AsyncGenerator<Table> {
  const file = await parquet.ParquetFile.fromFile(await openAsBlob(path));
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
