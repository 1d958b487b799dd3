import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF_ROLES, STAFF_STATUSES } from '../../domain/identity/staff-events.js';
import { notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf, newIdFor } from '../request-metadata.js';

/** Vietnamese mobile numbers, as at sign-up (api/routes/auth.ts). */
export const vietnamesePhone = z
  .string()
  .trim()
  .regex(/^(\+84|0)(3|5|7|8|9)\d{8}$/, 'Số điện thoại Việt Nam không hợp lệ (vd. 0912345678 hoặc +84912345678)');

const title = z.string().trim().min(1).max(120);
const areaIds = z.array(z.string().min(1).max(64)).max(100);
const staffView = z.object({
  userId: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  locked: z.boolean(),
  role: z.string(),
  code: z.string(),
  title: z.string(),
  department: z.string(),
  startDate: z.string(),
  areaIds: z.array(z.string()),
  status: z.string(),
  statusReason: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const userParams = z.object({ userId: z.uuid() });
const done = envelopeOf(z.null());

const STAFF_SELECT = `
  select s.user_id as "userId", u.email, u.name, u.phone, coalesce(u.locked, false) as locked, s.role, s.code,
         s.title, s.department, s.start_date::text as "startDate", s.area_ids as "areaIds", s.status,
         s.status_reason as "statusReason", s.created_at as "createdAt", s.updated_at as "updatedAt"
    from rm.staff s left join rm.users u on u.id = s.user_id`;

/** Staff accounts and profiles (UC-OPER-05 create with an invite, UC-OPER-04 list, edit, status). */
export function adminStaffRoutes(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { staff, invitations } = services.identity;
  const manage = app.requires('staff:manage');
  const tags = ['admin'];

  const settled = async (position: bigint | null) => {
    if (position !== null) await waitForProjection(services.pool, 'staff', position, 2000);
  };
  const existing = async (userId: string) => {
    const { rows } = await services.pool.query(`${STAFF_SELECT} where s.user_id = $1`, [userId]);
    if (!rows[0]) throw notFound('STAFF_NOT_FOUND', 'Không tìm thấy hồ sơ nhân viên');
    return rows[0] as z.infer<typeof staffView>;
  };

  api.post(
    '/api/v1/admin/staff',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'Create a sales or operator staff member; they get an invite to set a password',
        body: z.object({
          email: z.email('Email không hợp lệ').max(254),
          name: z.string().trim().min(1, 'Vui lòng nhập họ tên').max(120),
          phone: vietnamesePhone.nullable().default(null),
          role: z.enum(STAFF_ROLES),
          profile: z.object({
            code: z.string().trim().min(2).max(32),
            title,
            department: title,
            startDate: z.iso.date(),
            areaIds: areaIds.default([]),
          }),
          locale: z.enum(['vi', 'en']).default('vi'),
        }),
        response: { 201: envelopeOf(z.object({ userId: z.string() })) },
      },
    },
    async (request, reply) => {
      const { position, userId } = await staff.create(
        { userId: newIdFor(request), ...request.body },
        commandMetadataOf(request),
      );
      await settled(position);
      return reply.status(201).send(ok({ userId }, 'Đã tạo nhân viên và gửi lời mời'));
    },
  );

  api.get(
    '/api/v1/admin/staff',
    {
      onRequest: manage,
      schema: {
        tags,
        querystring: z.object({
          status: z.enum(STAFF_STATUSES).optional(),
          role: z.enum(STAFF_ROLES).optional(),
          department: z.string().max(120).optional(),
          q: z.string().max(100).optional(),
        }),
        response: { 200: envelopeOf(z.array(staffView)) },
      },
    },
    async (request) => {
      const { status, role, department, q } = request.query;
      const { rows } = await services.pool.query(
        `${STAFF_SELECT}
          where ($1::text is null or s.status = $1) and ($2::text is null or s.role = $2)
            and ($3::text is null or s.department = $3)
            and ($4::text is null or s.code ilike '%' || $4 || '%' or u.name ilike '%' || $4 || '%'
                 or u.email ilike '%' || $4 || '%')
          order by s.code limit 500`,
        [status ?? null, role ?? null, department ?? null, q?.replace(/[\\%_]/g, '\\$&') ?? null],
      );
      return ok(rows);
    },
  );

  api.get(
    '/api/v1/admin/staff/:userId',
    { onRequest: manage, schema: { tags, params: userParams, response: { 200: envelopeOf(staffView) } } },
    async (request) => ok(await existing(request.params.userId)),
  );

  api.patch(
    '/api/v1/admin/staff/:userId',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'Change title, department or areas',
        params: userParams,
        body: z.object({ title: title.optional(), department: title.optional(), areaIds: areaIds.optional() }),
        response: { 200: envelopeOf(staffView) },
      },
    },
    async (request) => {
      const { userId } = request.params;
      const result = await staff.update(userId, request.body, commandMetadataOf(request));
      await settled(result.position);
      return ok(await existing(userId), 'Đã cập nhật hồ sơ');
    },
  );

  api.post(
    '/api/v1/admin/staff/:userId/status',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'active ↔ on_leave → left; leaving locks the account and signs it out everywhere',
        params: userParams,
        body: z.object({ status: z.enum(STAFF_STATUSES), reason: z.string().trim().max(500).optional() }),
        response: { 200: envelopeOf(staffView) },
      },
    },
    async (request) => {
      const { userId } = request.params;
      const { status, reason } = request.body;
      const result = await staff.changeStatus(userId, status, reason ?? null, commandMetadataOf(request));
      await settled(result.position);
      return ok(await existing(userId), 'Đã cập nhật trạng thái');
    },
  );

  api.post(
    '/api/v1/admin/staff/:userId/invite',
    {
      onRequest: manage,
      schema: {
        tags,
        summary: 'Mail a new invite link (the previous one stops working)',
        params: userParams,
        body: z.object({ locale: z.enum(['vi', 'en']).default('vi') }).nullish(),
        response: { 200: done },
      },
    },
    async (request) => {
      const found = await existing(request.params.userId);
      await invitations.resend(found.userId, request.body?.locale ?? 'vi');
      return ok(null, 'Đã gửi lại lời mời');
    },
  );
}
