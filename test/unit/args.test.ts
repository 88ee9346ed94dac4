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
  it('parses serve with defaults, flags and the environment', async () => {
    expect(await parseArgs(['serve'])).toEqual({
      kind: 'serve', host: '127.0.0.1', port: 8001, databaseUrl: 'postgres://postgres@127.0.0.1:5432/fastlane',
      authenticateReads: false, bodyLimit: 1048576, migrate: true,
    });
    const env = { PORT: '9000', DATABASE_URL: 'postgres://db/m', FASTLANE_API_TOKEN: 't', FASTLANE_API_AUTH_READS: '1' };
    expect(await parseArgs(['serve', '--no-migrate'], env)).toMatchObject({ port: 9000, databaseUrl: 'postgres://db/m', token: 't', authenticateReads: true, migrate: false });
    expect(await parseArgs(['serve', '--host=0.0.0.0', '--port=0', '--database-url=postgres://x/y'], env)).toMatchObject({ host: '0.0.0.0', port: 0, databaseUrl: 'postgres://x/y' });
    expect(await parseArgs(['serve', '--cors-origin=https://ui.example'])).toMatchObject({ corsOrigin: 'https://ui.example' });
    expect(await parseArgs(['serve'], { FASTLANE_API_CORS_ORIGIN: 'https://b.example' })).toMatchObject({ corsOrigin: 'https://b.example' });
  });

  it('parses db migrate and db rollback', async () => {
    expect(await parseArgs(['db', 'migrate'], { DATABASE_URL: 'postgres://db/m' })).toEqual({ kind: 'db', action: 'migrate', databaseUrl: 'postgres://db/m' });
    expect(await parseArgs(['db', 'rollback', '--to=0', '--database-url=postgres://x/y'])).toEqual({ kind: 'db', action: 'rollback', databaseUrl: 'postgres://x/y', to: '0' });
  });

  it('takes the API interval and token for the monitor', async () => {
    expect(await parseArgs(['--config=p.json', '--api=http://h:1', '--api-interval=0.5'], { FASTLANE_API_TOKEN: 'tok' })).toMatchObject({ api: 'http://h:1', apiInterval: 0.5, apiToken: 'tok' });
    expect(await parseArgs(['--config=p.json'])).toMatchObject({ apiInterval: 5 });
  });

  it.each([
    [['serve', '--port=70000']],
    [['serve', '--port=abc']],
    [['db']],
    [['db', 'explode']],
    [['db', 'rollback', '--to=latest']],
    [['db', 'migrate', 'extra']],
    [['--config=p.json', '--api-interval=0']],
    [['--config=p.json', '--api=localhost:8001']],
  ])('refuses %j with FL_USAGE', async (argv) => {
    await expect(parseArgs(argv)).rejects.toMatchObject({ code: 'FL_USAGE' });
  });
});
