import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../../src/cli/args.js';

describe('parseArgs', () => {
  it('takes the seed command line as a run', async () => {
    const command = await parseArgs(['--source=mysql', '--target=s3', '--config=p.json', '--logs_to_file=/tmp/x.log', '--logs_to_slack']);
    expect(command).toMatchObject({
      kind: 'run', source: 'mysql', target: 's3', transform: 'default', config: 'p.json',
      logsToFile: '/tmp/x.log', logsToSlack: true, logsToCloudwatch: false, dryRun: false, stateDir: '/tmp/fastlane',
    });
  });

  it('treats `run` the same as no command', async () => {
    const a = await parseArgs(['run', '--config=p.json']);
    const b = await parseArgs(['--config=p.json']);
    expect(a).toEqual(b);
  });

  it('parses validate, dry-run, state dir and the API URL from the environment', async () => {
    expect(await parseArgs(['validate', '--config=p.json'])).toMatchObject({ kind: 'validate', config: 'p.json' });
    const run = await parseArgs(['--config=p.json', '--dry-run', '--state-dir=/s'], { FASTLANE_API_URL: 'http://h:1' });
    expect(run).toMatchObject({ dryRun: true, stateDir: '/s', api: 'http://h:1' });
  });

  it('shows help with examples and exit codes', async () => {
    const help = await parseArgs(['--help']);
    expect(help.kind).toBe('help');
    expect((help as { text: string }).text).toMatch(/--source=mysql --target=s3/);
    expect((help as { text: string }).text).toMatch(/130 stopped/);
  });

  it.each([
    [['--source=mysql']],
    [['--config=p.json', '--bogus=1']],
    [['frobnicate', '--config=p.json']],
  ])('refuses %j with FL_USAGE', async (argv) => {
    await expect(parseArgs(argv)).rejects.toMatchObject({ code: 'FL_USAGE' });
  });
});
