import { compareOffsets, type Offset } from '../../stages/offset.js';
import { FastlaneError } from '../../errors.js';

const INTEGER_TYPES = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);

/** Reads key values as offsets (bigint for integer columns), skips what an earlier run loaded and checks the order. */
export class KeyOrder {
  private last: Offset | null = null;

  constructor(
    private readonly where: string,
    private readonly typeName: string,
    private readonly startAfter: Offset | null,
  ) {}

  /** Offset of a key's text; throws when the file is not sorted by the key. */
  read(text: string | null, line: number): Offset {
    if (text === null) throw new FastlaneError('FL_SOURCE_DATA', `${this.where} line ${line}: the key is empty; every row needs one`);
    const key = INTEGER_TYPES.has(this.typeName) ? BigInt(text) : this.typeName.startsWith('float') ? Number(text) : text;
    return this.check(key, line);
  }

  check(key: Offset, line: number): Offset {
    if (this.last !== null && compareOffsets(key, this.last) <= 0) {
      throw new FastlaneError(
        'FL_SOURCE_DATA',
        `${this.where} line ${line}: key ${String(key)} comes after ${String(this.last)}; the file must be sorted by its key, without repeats`,
      );
    }
    this.last = key;
    return key;
  }

  /** True when the row was loaded by an earlier run. */
  alreadyLoaded(key: Offset): boolean {
    return this.startAfter !== null && compareOffsets(key, normalize(this.startAfter, key)) <= 0;
  }
}

/** Offsets from configs arrive as JSON numbers; compare them with bigint keys exactly. */
function normalize(offset: Offset, like: Offset): Offset {
  if (typeof like === 'bigint' && typeof offset === 'number' && Number.isInteger(offset)) return BigInt(offset);
  if (typeof like === 'bigint' && typeof offset === 'string' && /^-?\d+$/.test(offset)) return BigInt(offset);
  return offset;
}
