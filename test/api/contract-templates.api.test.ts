import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BUILT_IN_TEMPLATE_ID } from '../../commands/contracts/templates.js';
import type { TemplateListItem, TemplateView } from '../../projections/contracts/templates-queries.js';
import { ADMIN, startTestApp, type TestApp } from '../support/app.js';
import { contractWorld } from '../support/contract-world.js';
import { bearer } from '../support/people.js';

let t: TestApp;
const world = contractWorld(() => t);

beforeAll(async () => {
  t = await startTestApp({ seed: true });
});
afterAll(async () => {
  await t.close();
});

const BODY = [
  '# Hợp đồng {{MaHopDong}}',
  '',
  'Bên thuê: {{ TenKhachHang }}, phòng {{TenPhong}} thuộc {{TenDuAn}}.',
  '',
  '- Giá thuê: {{GiaThue}}',
  '- Từ {{NgayBatDau}} đến {{NgayKetThuc}} ({{ThoiHanThang}} tháng)',
  '',
  '{{DieuKhoan}}',
].join('\n');

const create = (body: string, name = 'Mẫu ngắn gọn', headers: Record<string, string> = ADMIN) =>
  t.call<{ id: string; version: number }>('POST', '/api/v1/contract-templates', { name, body }, headers);
const template = (id: string) => t.call<TemplateView>('GET', `/api/v1/contract-templates/${id}`, undefined, ADMIN);

describe('contract templates over HTTP', () => {
  test('placeholders, unknown placeholder named, versions, preview; only admins write', async () => {
    const placeholders = await t.call<{ name: string; sample: string }[]>(
      'GET',
      '/api/v1/contract-templates/placeholders',
      undefined,
      ADMIN,
    );
    expect(placeholders.body.data.map((p) => p.name)).toEqual(expect.arrayContaining(['TenKhachHang', 'GiaThue']));

    const unknown = await create(`${BODY}\nChủ nuôi mèo: {{TenMeo}}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'PLACEHOLDER_UNKNOWN', field: 'body' });
    expect(unknown.body.message).toContain('{{TenMeo}}');
    const unbalanced = await create('Bên thuê: {{TenKhachHang');
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.error?.code).toBe('PLACEHOLDER_UNBALANCED');
    const owner = await world.party('owner', 'Chủ Nhà');
    expect((await create(BODY, 'Của chủ nhà', bearer(owner.token))).status).toBe(403);

    const created = await create(BODY);
    expect(created.status).toBe(201);
    expect(created.body.data.version).toBe(1);
    const { id } = created.body.data;
    const revised = await t.call<{ version: number }>(
      'PUT',
      `/api/v1/contract-templates/${id}`,
      { name: 'Mẫu ngắn gọn', body: `${BODY}\n\nKý tại TP. Hồ Chí Minh.` },
      ADMIN,
    );
    expect(revised.body.data.version).toBe(2);
    const unchanged = await t.call<{ version: number }>(
      'PUT',
      `/api/v1/contract-templates/${id}`,
      { name: 'Mẫu ngắn gọn', body: `${BODY}\n\nKý tại TP. Hồ Chí Minh.` },
      ADMIN,
    );
    expect(unchanged.body.data.version).toBe(2);
    const shown = await template(id);
    expect(shown.body.data.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(shown.body.data.placeholders).toEqual([
      'MaHopDong',
      'TenKhachHang',
      'TenPhong',
      'TenDuAn',
      'GiaThue',
      'NgayBatDau',
      'NgayKetThuc',
      'ThoiHanThang',
      'DieuKhoan',
    ]);

    const preview = await t.call<{ text: string; missing: string[] }>(
      'POST',
      '/api/v1/contract-templates/preview',
      { body: BODY },
      bearer(owner.token),
    );
    expect(preview.status).toBe(200);
    expect(preview.body.data.text).toContain('Bên thuê: Nguyễn Văn An');
    expect(preview.body.data.missing).toEqual([]);

    const list = await t.call<TemplateListItem[]>('GET', '/api/v1/contract-templates', undefined, bearer(owner.token));
    expect(list.body.data.find((item) => item.id === BUILT_IN_TEMPLATE_ID)?.defaultFor).toEqual(['platform']);
    expect(list.body.data.find((item) => item.id === id)).toMatchObject({ version: 2, usageCount: 0, defaultFor: [] });

    const deleted = await t.call('DELETE', `/api/v1/contract-templates/${id}`, undefined, ADMIN);
    expect(deleted.status).toBe(200);
    expect((await template(id)).status).toBe(404);
    const reviseDeleted = await t.call('PUT', `/api/v1/contract-templates/${id}`, { name: 'X', body: BODY }, ADMIN);
    expect(reviseDeleted.status).toBe(404);
  });

  test("a project's default template is used; later versions never change the contract; a used template is not deleted", async () => {
    const created = await create(BODY, 'Mẫu của dự án');
    const { id } = created.body.data;
    const w = await world.heldSecurityDeposit({
      beforeDeposit: async ({ projectId }) => {
        const made = await t.call(`POST`, `/api/v1/contract-templates/${id}/default`, { projectId }, ADMIN);
        expect(made.status).toBe(200);
      },
    });
    const generated = await world.contract(w.contractId, w.owner);
    expect(generated.body.data).toMatchObject({ templateId: id, templateVersion: 1 });
    expect(generated.body.data.text).toContain('Bên thuê: Nguyễn Văn An, phòng P101 thuộc Nhà trọ Hoa Sen.');

    const revised = await t.call(
      'PUT',
      `/api/v1/contract-templates/${id}`,
      { name: 'Mẫu của dự án', body: '# Một mẫu khác hẳn\n\n{{TenKhachHang}}' },
      ADMIN,
    );
    expect(revised.status).toBe(200);
    const after = await world.contract(w.contractId, w.owner);
    expect(after.body.data).toMatchObject({ templateVersion: 1, text: generated.body.data.text });
    const verified = await t.call<{ matches: boolean }>(
      'GET',
      `/api/v1/contracts/${w.contractId}/verify`,
      undefined,
      bearer(w.owner.token),
    );
    expect(verified.body.data.matches).toBe(true);

    const inUse = await t.call('DELETE', `/api/v1/contract-templates/${id}`, undefined, ADMIN);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'TEMPLATE_IN_USE', details: { uses: 1 } });
    const unknownProject = await t.call(
      'POST',
      `/api/v1/contract-templates/${id}/default`,
      { projectId: crypto.randomUUID() },
      ADMIN,
    );
    expect(unknownProject.status).toBe(404);
  });
});
