import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AreaView } from '../../projections/catalog/areas-queries.js';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const create = (body: Record<string, unknown>, headers: Record<string, string> = ADMIN) =>
  t.call<{ id: string }>('POST', '/api/v1/areas', body, headers);

async function province(name: string): Promise<string> {
  const answer = await create({ name, level: 'province' });
  expect(answer.status).toBe(201);
  return answer.body.data.id;
}

describe('areas over HTTP', () => {
  test('create, read back, list, tree, search without accents', async () => {
    const hcm = await province('Thành phố Hồ Chí Minh');
    const q1 = await create({ name: 'Quận 1', level: 'district', parentId: hcm, code: 'T760' });
    expect(q1.status).toBe(201);
    expect(q1.body).toMatchObject({ success: true, error: null });

    await eventually(async () => {
      const one = await t.call<AreaView>('GET', `/api/v1/areas/${q1.body.data.id}`);
      expect(one.body.data).toMatchObject({
        name: 'Quận 1',
        level: 'district',
        parentId: hcm,
        path: 'Thành phố Hồ Chí Minh › Quận 1',
      });
    });

    const found = await t.call<AreaView[]>('GET', '/api/v1/areas?q=quan%201');
    expect(found.body.data.map((a) => a.name)).toEqual(['Quận 1']);

    const tree = await t.call<{ id: string; childCount: number; children: { name: string }[] }[]>(
      'GET',
      '/api/v1/areas/tree',
    );
    const root = tree.body.data.find((n) => n.id === hcm);
    expect(root?.children.map((c) => c.name)).toEqual(['Quận 1']);
    expect(root?.childCount).toBe(1);
  });

  test('bad input is a 400 naming the field, and nothing is written', async () => {
    const before = await t.call<AreaView[]>('GET', '/api/v1/areas');
    const answer = await create({ name: '', level: 'city' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      success: false,
      data: null,
      error: { code: 'VALIDATION_FAILED', field: 'name' },
    });
    const wrongParent = await create({ name: 'Quận 9', level: 'district', parentId: 'nowhere' });
    expect(wrongParent.status).toBe(400);
    expect(wrongParent.body.error).toMatchObject({ code: 'AREA_PARENT_INVALID', field: 'parentId' });
    const after = await t.call<AreaView[]>('GET', '/api/v1/areas');
    expect(after.body.data).toHaveLength(before.body.data.length);
  });

  test('writes need a signed-in user with area:manage', async () => {
    const answer = await create({ name: 'Đà Nẵng', level: 'province' }, {});
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('AUTH_REQUIRED');
  });

  test('update renames, moves and marks hot in one atomic change', async () => {
    const a = await province('Tỉnh A');
    const b = await province('Tỉnh B');
    const d = (await create({ name: 'Huyện X', level: 'district', parentId: a })).body.data.id;
    await create({ name: 'Huyện Y', level: 'district', parentId: b });

    const clash = await t.call('PATCH', `/api/v1/areas/${d}`, { name: 'Huyện Y', parentId: b, hot: true }, ADMIN);
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'AREA_NAME_TAKEN', field: 'name' });
    const unchanged = await t.call<AreaView>('GET', `/api/v1/areas/${d}`);
    expect(unchanged.body.data).toMatchObject({ name: 'Huyện X', parentId: a, hot: false });

    const ok = await t.call('PATCH', `/api/v1/areas/${d}`, { name: 'Huyện Z', parentId: b, hot: true }, ADMIN);
    expect(ok.status).toBe(200);
    await eventually(async () => {
      const changed = await t.call<AreaView>('GET', `/api/v1/areas/${d}`);
      expect(changed.body.data).toMatchObject({ name: 'Huyện Z', parentId: b, hot: true });
    });
  });

  test('delete is refused while the area has children, allowed once it has none', async () => {
    const p = await province('Tỉnh Xóa');
    const child = (await create({ name: 'Huyện Con', level: 'district', parentId: p })).body.data.id;
    const refused = await t.call('DELETE', `/api/v1/areas/${p}`, undefined, ADMIN);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('AREA_IN_USE');
    expect((await t.call('DELETE', `/api/v1/areas/${child}`, undefined, ADMIN)).status).toBe(200);
    expect((await t.call('DELETE', `/api/v1/areas/${p}`, undefined, ADMIN)).status).toBe(200);
    await eventually(async () => expect((await t.call('GET', `/api/v1/areas/${p}`)).status).toBe(404));
  });

  test('50 simultaneous creates of one name: exactly one wins, the rest get 409', async () => {
    const p = await province('Tỉnh Đua');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => create({ name: 'Huyện Trùng', level: 'district', parentId: p })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error?.code === 'AREA_NAME_TAKEN')).toBe(true);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    await eventually(async () => {
      const children = await t.call<AreaView[]>('GET', `/api/v1/areas?parentId=${p}`);
      expect(children.body.data.map((a) => a.name)).toEqual(['Huyện Trùng']);
    });
  });
});

describe('idempotency', () => {
  test('a retry with the same key gets the first answer and appends nothing', async () => {
    const key = `create-${crypto.randomUUID()}`;
    const body = { name: 'Tỉnh Idem', level: 'province' };
    const first = await create(body, { ...ADMIN, 'idempotency-key': key });
    const again = await create(body, { ...ADMIN, 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const { rows } = await t.db.pool.query(
      "select count(*)::int as n from es.events where data->>'name' = 'Tỉnh Idem'",
    );
    expect(rows[0].n).toBe(1);
  });

  test('simultaneous requests with one key append once', async () => {
    const key = `burst-${crypto.randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        create({ name: 'Tỉnh Burst', level: 'province' }, { ...ADMIN, 'idempotency-key': key }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.data.id)).size).toBe(1);
    const { rows } = await t.db.pool.query(
      "select count(*)::int as n from es.events where data->>'name' = 'Tỉnh Burst'",
    );
    expect(rows[0].n).toBe(1);
  });

  test('the same key with a different body is refused with 422', async () => {
    const key = `reuse-${crypto.randomUUID()}`;
    await create({ name: 'Tỉnh Một', level: 'province' }, { ...ADMIN, 'idempotency-key': key });
    const reused = await create({ name: 'Tỉnh Hai', level: 'province' }, { ...ADMIN, 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('import and export', () => {
  test('a CSV import creates all rows; export then import again changes nothing', async () => {
    const csv = [
      'id,code,name,level,parent_id,hot',
      ',T48,Thành phố Đà Nẵng,province,,true',
      ',T490,Quận Hải Châu,district,,false',
    ].join('\n');
    // parent by code: the second row names its parent through parent_code
    const withParent = `${csv.split('\n')[0]},parent_code\n,T48,Thành phố Đà Nẵng,province,,true,\n,T490,Quận Hải Châu,district,,false,T48\n`;
    const imported = await t.call<{ created: number }>('POST', '/api/v1/areas/import?format=csv', withParent, ADMIN);
    expect(imported.status).toBe(200);
    expect(imported.body.data).toMatchObject({ created: 2, updated: 0 });
    await eventually(async () => {
      const haiChau = await t.call<AreaView[]>('GET', '/api/v1/areas?q=hai%20chau');
      expect(haiChau.body.data[0]?.path).toBe('Thành phố Đà Nẵng › Quận Hải Châu');
    });

    const exported = await fetch(`${t.url}/api/v1/areas/export?format=csv`, { headers: ADMIN });
    expect(exported.headers.get('content-disposition')).toContain('areas.csv');
    const file = await exported.text();
    expect(file.split('\n')[0]).toBe('id,code,name,level,parent_id,hot');
    expect(file).toContain('Quận Hải Châu');
    const again = await t.call<{ created: number; updated: number; unchanged: number }>(
      'POST',
      '/api/v1/areas/import?format=csv',
      file,
      ADMIN,
    );
    expect(again.body.data).toMatchObject({ created: 0, updated: 0 });
    expect(again.body.data.unchanged).toBe(file.trim().split('\n').length - 1);
  });

  test('bad rows are named by number and nothing is imported', async () => {
    const before = await t.call<AreaView[]>('GET', '/api/v1/areas');
    const json = [
      { name: 'Tỉnh Tốt', level: 'province' },
      { name: '', level: 'province' },
      { name: 'Phường Lạc', level: 'ward', parentId: 'missing' },
      { name: 'Tỉnh Sai', level: 'city' },
    ];
    const answer = await t.call('POST', '/api/v1/areas/import?format=json', json, ADMIN);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('IMPORT_INVALID');
    const rowsOf = (a: typeof answer) =>
      (a.body.error?.details as { rows: { row: number; field: string }[] } | undefined)?.rows;
    const rows = rowsOf(answer) ?? [];
    expect(rows.map((r) => [r.row, r.field])).toEqual([
      [2, 'name'],
      [4, 'level'],
    ]);
    const parentMissing = await t.call('POST', '/api/v1/areas/import?format=json', [json[0], json[2]], ADMIN);
    expect(rowsOf(parentMissing)).toEqual([{ row: 2, field: 'parentId', message: expect.stringContaining('missing') }]);
    const after = await t.call<AreaView[]>('GET', '/api/v1/areas');
    expect(after.body.data).toHaveLength(before.body.data.length);
  });
});

describe('audit trail and health', () => {
  test('every change is audited with who, as whom and from where', async () => {
    const id = await province('Tỉnh Kiểm Toán');
    await t.call(
      'PATCH',
      `/api/v1/areas/${id}`,
      { name: 'Tỉnh Kiểm Toán Mới' },
      { ...ADMIN, 'user-agent': 'audit-test/1.0' },
    );
    const head = await t.app.services.store.headPosition();
    const { waitForProjection } = await import('../../projections/status.js');
    expect(await waitForProjection(t.db.pool, 'audit_trail', head, 5000)).toBe(true);
    const { rows } = await t.db.pool.query(
      'select event_type, actor_id, roles, target_id, ip, user_agent, summary from rm.audit_trail where target_id = $1 order by position',
      [id],
    );
    expect(rows).toEqual([
      expect.objectContaining({ event_type: 'AreaCreated', actor_id: 'dev-admin', roles: 'admin', ip: '127.0.0.1' }),
      expect.objectContaining({
        event_type: 'AreaRenamed',
        user_agent: 'audit-test/1.0',
        summary: 'AreaRenamed: name Tỉnh Kiểm Toán → Tỉnh Kiểm Toán Mới',
      }),
    ]);
  });

  test('health reports the store, the database and each projection', async () => {
    const answer = await t.call<{ status: string; projections: { name: string; lag: number }[] }>('GET', '/health');
    expect(answer.status).toBe(200);
    expect(answer.body.data.status).toBe('ok');
    const expected = t.app.services.projections.map((p) => p.name).sort();
    expect(expected).toEqual(expect.arrayContaining(['areas', 'audit_trail', 'users']));
    expect(answer.body.data.projections.map((p) => p.name).sort()).toEqual(expected);
  });

  test('OpenAPI is served at /docs', async () => {
    const answer = await fetch(`${t.url}/docs/json`);
    const spec = (await answer.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/areas', '/api/v1/areas/{id}', '/health']));
  });
});
