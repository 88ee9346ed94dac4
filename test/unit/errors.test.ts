import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, FastlaneError, describeError, type ErrorCode } from '../../src/errors.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { REPO_ROOT } from '../support/pipeline.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
const documented = new Map([...doc.matchAll(/^\| `(FL_[A-Z_]+)` \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]));

describe('error codes', () => {
  it('are each documented in docs/errors.md, and the page lists no other', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it.each(Object.keys(ERROR_CODES) as ErrorCode[])('%s exits as documented', (code) => {
    expect(exitCodeFor(code)).toBe(documented.get(code));
  });

  it('keep their cause and describe the chain', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const error = new FastlaneError('FL_CONNECT', 'cannot reach the target', { cause });
    expect(error.cause).toBe(cause);
    expect(describeError(error)).toBe('FL_CONNECT: cannot reach the target <- caused by: connect ECONNREFUSED 127.0.0.1:1');
  });
});
