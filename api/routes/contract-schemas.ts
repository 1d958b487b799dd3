import { z } from 'zod';
import { CONTRACT_STATUSES } from '../../domain/contracts/contract-events.js';
import { ASSET_CONDITIONS, HANDOVER_KINDS, HANDOVER_STATUSES } from '../../domain/contracts/handover-events.js';
import { CONTRACT_PLACEHOLDER_NAMES } from '../../domain/contracts/placeholders.js';
import { isoDate, statusList } from './money-schemas.js';

const uuid = z.uuid();
export const idParams = z.object({ id: uuid });

// Templates (UC-ADMIN-06). Unknown placeholders are refused by the domain, naming the placeholder.
export const templateBody = z.object({
  name: z.string().trim().min(1).max(120),
  body: z.string().min(1).max(100_000),
});
export const previewBody = z.object({ body: z.string().min(1).max(100_000) });
export const makeDefaultBody = z.object({ projectId: uuid.nullable() });

// Contracts (UC-CUST-05, UC-PROJ-04).
export const contractListQuery = z.object({
  status: statusList(CONTRACT_STATUSES).optional(),
  roomId: uuid.optional(),
  projectId: uuid.optional(),
  customerId: uuid.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const clauses = z.string().trim().max(5000);
export const newContractBody = z.object({
  depositId: uuid,
  templateId: uuid.optional(),
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  clauses: clauses.optional(),
});

/** Placeholder values the owner types in; only known placeholders, each named when refused. */
const placeholderValues = z.record(z.string(), z.string().max(2000)).superRefine((values, context) => {
  for (const name of Object.keys(values)) {
    if (!CONTRACT_PLACEHOLDER_NAMES.includes(name)) {
      context.addIssue({ code: 'custom', path: [name], message: `Biến không được hỗ trợ: {{${name}}}` });
    }
  }
});

export const fillFieldsBody = z
  .object({
    startDate: isoDate.nullable().optional(),
    endDate: isoDate.nullable().optional(),
    clauses: clauses.nullable().optional(),
    values: placeholderValues.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Nhập ít nhất một trường',
    path: ['startDate'],
  });

export const signBody = z.object({ challengeId: uuid, code: z.string().trim().min(1).max(12) });
export const reviewScanBody = z.object({
  accepted: z.boolean(),
  note: z.string().trim().max(1000).nullable().default(null),
});
export const cancelBody = z.object({ reason: z.string().trim().min(1).max(500) });

// Handover reports (UC-OPER-06).
const whole = z.number().int().min(0).max(100_000_000);
export const handoverContent = z.object({
  meters: z.object({ electricity: whole, water: whole }),
  assets: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(100),
        condition: z.enum(ASSET_CONDITIONS),
        note: z.string().trim().max(500).nullable().default(null),
        photoKeys: z.array(z.string().min(1).max(200)).max(10).default([]),
      }),
    )
    .max(100)
    .default([]),
  notes: z.string().trim().max(2000).nullable().default(null),
  deductions: z
    .array(z.object({ reason: z.string().trim().min(1).max(200), amountVnd: z.number().int().positive() }))
    .max(50)
    .default([]),
});

export const newHandoverBody = z.object({ contractId: uuid, kind: z.enum(HANDOVER_KINDS), content: handoverContent });
export const recordHandoverBody = z.object({ content: handoverContent });
export const handoverListQuery = z.object({
  contractId: uuid.optional(),
  roomId: uuid.optional(),
  status: statusList(HANDOVER_STATUSES).optional(),
});
export const photoParams = z.object({ id: uuid, name: z.string().min(1).max(64) });
