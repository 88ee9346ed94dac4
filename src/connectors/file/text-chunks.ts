import { createReadStream } from 'node:fs';

/**
 * A text file's bytes in chunks of whole lines. Cutting at a line feed byte never splits a UTF-8
 * character (0x0A is never part of a multi-byte one), so each chunk decodes on its own.
 * A leading byte-order mark is dropped.
 */
export async function* readLineChunks(path: string, chunkBytes = 1 << 20): AsyncGenerator<Buffer> {
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
      yield data.subarray(0, cut);
    }
    if (carry && carry.length > 0) yield carry;
  } finally {
    stream.destroy();
  }
}
