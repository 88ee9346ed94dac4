/** The peer: DuckDB converting the same CSV to zstd Parquet. Usage: tsx duckdb-csv-to-parquet.ts IN.csv OUT.parquet */
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
await connection.run(`COPY (SELECT * FROM read_csv(${quote(input)}, header = true)) TO ${quote(output)} (FORMAT parquet, COMPRESSION zstd)`);
connection.closeSync();
instance.closeSync();
