import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/pipeline.js';

describe('the command line explains itself', () => {
  it.each(['run', 'validate', 'check', 'serve', 'db'])('`%s --help` shows examples and the exit codes', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples:\n {2}npx fastlane /);
    expect(result.stdout).toMatch(/Exit codes: 0 /);
    expect(result.stdout).not.toMatch(/seed/i);
  });

  it('never cuts a URL across lines', async () => {
    expect((await runCli(['run', '--help'])).stdout).toContain('--api=http://127.0.0.1:8001 ');
    for (const command of ['serve', 'db']) {
      expect((await runCli([command, '--help'])).stdout).toContain('(or DATABASE_URL; default postgres://postgres@127.0.0.1:5432/fastlane)');
    }
  });

  it('--version prints the package version', async () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `fastlane ${version}\n` });
  });

  it('no arguments: says to try --help, exit 2', async () => {
    const result = await runCli([]);
    expect(result.stderr).toBe("fastlane: FL_USAGE: no command given; try 'npx fastlane --help'\n");
    expect(result.code).toBe(2);
  });

  it('a usage mistake points at the command\'s help', async () => {
    const result = await runCli(['validate']);
    expect(result.stderr).toMatch(/Missing required argument: config; try 'npx fastlane validate --help'/);
    expect(result.code).toBe(2);
  });
});
