/**
 * The naive peer: one mysql2 query stream on one thread, each row written as a JSON line.
 * Usage: tsx bench/mysql/naive-stream.ts DATABASE TABLE > /dev/null
 */
import mysql from 'mysql2';

const [database, table] = process.argv.slice(2);
const connection = mysql.createConnection({ host: '127.0.0.1', user: 'root', database, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
const rows = connection.query(`SELECT * FROM \`${table}\``).stream();
let pending = '';
let count = 0;
rows.on('data', (row) => {
  pending += `${JSON.stringify(row)}\n`;
  if (++count % 1000 === 0) {
    if (!process.stdout.write(pending)) {
      rows.pause();
      process.stdout.once('drain', () => rows.resume());
    }
    pending = '';
  }
});
rows.on('end', () => {
  process.stdout.write(pending);
  connection.end();
});
rows.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
