import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serve } from '../../src/cli/commands/serve.js';
import { main } from '../../src/cli/main.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from './database.js';

describe('fastlane db and fastlane serve', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, env: { DATABASE_URL: db.url } });
    return { code, out, err };
  }

  it('migrates and rolls back by hand', async () => {
    expect(await cli(['db', 'migrate'])).toMatchObject({ code: 0, out: expect.stringContaining('version 0 -> 2') });
    expect(await cli(['db', 'rollback'])).toMatchObject({ code: 0, out: expect.stringContaining('version 2 -> 1 (002.undo.run-series-and-logs.sql)') });
    expect(await cli(['db', 'rollback', '--to=0'])).toMatchObject({ code: 0, out: expect.stringContaining('version 1 -> 0') });
    const bad = await cli(['db', 'migrate', '--database-url=postgres://nobody:pw@127.0.0.1:1/x']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/FL_CONNECT: cannot connect to the metrics database \(postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/x\)/);
  });

  it('serve migrates, listens, answers with the token on writes, and closes when told', async () => {
    let stdout = '';
    let stop: () => void = () => undefined;
    const until = new Promise<void>((resolve) => { stop = resolve; });
    const command = { kind: 'serve' as const, host: '127.0.0.1', port: 0, databaseUrl: db.url, token: 'tok', authenticateReads: false, bodyLimit: 4096, migrate: true };
    const done = serve(command, { stdout: (t) => { stdout += t; } }, until);
    while (!/listening on (\S+)/.test(stdout)) await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /listening on (\S+)/.exec(stdout)?.[1] as string;
    expect(await (await fetch(`${url}/api/healthcheck`)).json()).toEqual({ status: 'ok' });
    const body = JSON.stringify({ pipeline_id: 'p.x.file.file', source_type: 'file', target_type: 'file', pipeline_type: 'FULL_TABLE' });
    const refused = await fetch(`${url}/api/pipeline`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(refused.status).toBe(401);
    const accepted = await fetch(`${url}/api/pipeline`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer tok' } });
    expect(accepted.status).toBe(200);
    const big = await fetch(`${url}/api/pipeline`, { method: 'POST', body: JSON.stringify({ ...JSON.parse(body), config: { x: 'y'.repeat(5000) } }), headers: { 'content-type': 'application/json', authorization: 'Bearer tok' } });
    expect(big.status).toBe(413);
    stop();
    expect(await done).toBe(0);
    expect(stdout).toMatch(/at version 2/);
    expect(await queryDatabase(db.url, 'SELECT id FROM pipeline')).toEqual([{ id: 'p.x.file.file' }]);
  });
});
