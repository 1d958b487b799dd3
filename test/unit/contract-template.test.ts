import { describe, expect, test } from 'vitest';
import {
  type ContractTemplateCommand,
  contractTemplateDecider,
  currentTemplateVersion,
  type TemplateContext,
  templateVersionOf,
} from '../../domain/contracts/template.js';
import { type ContractTemplateEvent, contractTemplateStream } from '../../domain/contracts/template-events.js';
import { fold } from '../../domain/shared/decider.js';
import { scenario, testContext } from '../support/given-when-then.js';

const templateId = 'template-1';
const context = (usageCount = 0): TemplateContext => ({ ...testContext(), usageCount });
const admin = (usageCount = 0) => scenario(contractTemplateDecider, context(usageCount));

const body = '# HỢP ĐỒNG THUÊ PHÒNG {{MaHopDong}}\n\nBên B: {{TenKhachHang}}\nGiá thuê: {{GiaThue}}';
const create = (over: Partial<{ name: string; body: string }> = {}): ContractTemplateCommand => ({
  type: 'CreateContractTemplate',
  templateId,
  name: 'Hợp đồng chuẩn',
  body,
  ...over,
});
const revise = (name: string, newBody: string): ContractTemplateCommand => ({
  type: 'ReviseContractTemplate',
  templateId,
  name,
  body: newBody,
});
const created: ContractTemplateEvent = {
  type: 'ContractTemplateCreated',
  data: {
    templateId,
    name: 'Hợp đồng chuẩn',
    body,
    version: 1,
    placeholders: ['MaHopDong', 'TenKhachHang', 'GiaThue'],
  },
};
const body2 = `${body}\nTiền cọc: {{TienCoc}}`;
const revised: ContractTemplateEvent = {
  type: 'ContractTemplateRevised',
  data: {
    templateId,
    version: 2,
    name: 'Hợp đồng chuẩn',
    body: body2,
    placeholders: ['MaHopDong', 'TenKhachHang', 'GiaThue', 'TienCoc'],
  },
};
const deleted: ContractTemplateEvent = { type: 'ContractTemplateDeleted', data: { templateId } };

describe('contract template: create', () => {
  test('version 1 with the placeholders it uses, name tidied, line ends normalised', () => {
    admin().given([]).when(create()).thenEmits([created]);
    admin()
      .given([])
      .when(create({ name: '  Hợp đồng   chuẩn ', body: body.replace(/\n/g, '\r\n') }))
      .thenEmits([created]);
    admin().given([created]).when(create()).thenFails('TEMPLATE_EXISTS');
    expect(contractTemplateStream(templateId)).toBe('contract-template-template-1');
  });

  test('an unknown placeholder is refused by name on the body field', () => {
    const error = admin()
      .given([])
      .when(create({ body: 'Xin chào {{TenKhach}}' }))
      .thenFails('PLACEHOLDER_UNKNOWN', 'body');
    expect(error.message).toContain('{{TenKhach}}');
    expect(error.status).toBe(400);
  });

  test('the name is 1 to 120 characters', () => {
    admin()
      .given([])
      .when(create({ name: '   ' }))
      .thenFails('NAME_REQUIRED', 'name');
    admin()
      .given([])
      .when(create({ name: 'Đ'.repeat(121) }))
      .thenFails('FIELD_TOO_LONG', 'name');
    admin()
      .given([])
      .when(create({ name: 'Đ'.repeat(120) }))
      .thenEmits([{ ...created, data: { ...created.data, name: 'Đ'.repeat(120) } }]);
    admin()
      .given([])
      .when(create({ body: '' }))
      .thenFails('TEMPLATE_BODY_REQUIRED', 'body');
  });
});

describe('contract template: versions', () => {
  test('a change of body or name is a new version; the same text again is none', () => {
    admin().given([created]).when(revise('Hợp đồng chuẩn', body2)).thenEmits([revised]);
    admin().given([created]).when(revise(' Hợp đồng chuẩn ', body)).thenEmits([]);
    admin()
      .given([created, revised])
      .when(revise('Hợp đồng 2026', body2))
      .thenEmits([
        {
          type: 'ContractTemplateRevised',
          data: { ...revised.data, version: 3, name: 'Hợp đồng 2026' },
        },
      ]);
    admin().given([created]).when(revise('X', '{{Sai}}')).thenFails('PLACEHOLDER_UNKNOWN', 'body');
  });

  test('every version stays readable (contracts keep their own snapshot anyway)', () => {
    const state = fold(contractTemplateDecider, [created, revised]);
    expect(templateVersionOf(state, 1)?.body).toBe(body);
    expect(currentTemplateVersion(state)).toMatchObject({ version: 2, body: body2 });
  });
});

describe('contract template: default and delete', () => {
  test('made default for a project or for the whole platform, recorded each time it is asked', () => {
    const forProject: ContractTemplateCommand = { type: 'MakeTemplateDefault', templateId, projectId: 'project-1' };
    admin()
      .given([created])
      .when(forProject)
      .thenEmits([{ type: 'ContractTemplateMadeDefault', data: { templateId, projectId: 'project-1' } }]);
    admin()
      .given([created])
      .when({ type: 'MakeTemplateDefault', templateId, projectId: null })
      .thenEmits([{ type: 'ContractTemplateMadeDefault', data: { templateId, projectId: null } }]);
    admin()
      .given([created])
      .when({ type: 'MakeTemplateDefault', templateId, projectId: '' })
      .thenFails('PROJECT_INVALID', 'projectId');
  });

  test('deleted only when no contract was generated from it', () => {
    const remove: ContractTemplateCommand = { type: 'DeleteContractTemplate', templateId };
    const refusal = admin(2).given([created, revised]).when(remove).thenFails('TEMPLATE_IN_USE');
    expect(refusal.status).toBe(409);
    expect(refusal.details).toEqual({ uses: 2 });
    admin(0).given([created, revised]).when(remove).thenEmits([deleted]);
  });

  test('a deleted or missing template refuses everything with 404', () => {
    const commands: ContractTemplateCommand[] = [
      revise('Hợp đồng chuẩn', body2),
      { type: 'MakeTemplateDefault', templateId, projectId: null },
      { type: 'DeleteContractTemplate', templateId },
    ];
    for (const command of commands) {
      expect(admin().given([created, deleted]).when(command).thenFails('TEMPLATE_NOT_FOUND').status).toBe(404);
      admin().given([]).when(command).thenFails('TEMPLATE_NOT_FOUND');
    }
    admin().given([created, deleted]).when(create()).thenFails('TEMPLATE_EXISTS');
  });
});
