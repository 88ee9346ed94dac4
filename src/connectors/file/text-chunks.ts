import { createReadStream } from 'node:fs';

/**
 * A text file's contents in chunks of whole lines, decoded from UTF-8. Cutting at a line feed
 * byte never splits a character (0x0A is never part of a multi-byte one), which spares a
 * streaming decoder. A leading byte-order mark is dropped.
 */
export async function* readLineChunks(path: string, chunkBytes = 1 << 20): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  let carry: Buffer | null = null;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      if (first) {
        first = false;
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
      }
      const cut = data.lastIndexOf(0x0a) + 1;
      if (cut === 0) {
        carry = data;
        continue;
      }
      carry = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
      yield data.toString('utf8', 0, cut);
    }
    if (carry && carry.length > 0) yield carry.toString('utf8');
  } finally {
    stream.destroy();
  }
}
