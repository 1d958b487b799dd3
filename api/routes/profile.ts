import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AVATAR_MAX_BYTES } from '../../commands/identity/profiles.js';
import {
  MANDATORY_SWITCHES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_TYPES,
} from '../../domain/identity/notification-preferences.js';
import { GENDERS } from '../../domain/identity/profile-events.js';
import { DomainError, notFound } from '../../domain/shared/errors.js';
import type { Services } from '../../ops/services.js';
import {
  getAvatarKey,
  getNotificationPreferences,
  getProfile,
  isUuid,
} from '../../projections/identity/profiles-queries.js';
import { waitForProjection } from '../../projections/status.js';
import { envelopeOf, ok } from '../envelope.js';
import { commandMetadataOf } from '../request-metadata.js';
import { readUploads, registerUploads } from '../uploads.js';

const profileView = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  bio: z.string().nullable(),
  gender: z.enum(GENDERS),
  dateOfBirth: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  updatedAt: z.date(),
});

/** Shapes only; the rules (lengths, phone format, age ≥ 16) are the domain's, which names the field. */
const profilePatch = z.object({
  name: z.string().max(1000).optional(),
  bio: z.string().max(10_000).nullable().optional(),
  gender: z.enum(GENDERS).optional(),
  dateOfBirth: z.string().max(40).nullable().optional().describe('YYYY-MM-DD, at least 16 years ago'),
  address: z.string().max(3000).nullable().optional(),
  phone: z.string().max(40).nullable().optional().describe('Vietnamese mobile: 0912345678 or +84912345678'),
});

const switches = z.record(z.string().max(20), z.boolean());
const preferencesView = z.object({
  preferences: z.record(z.string(), switches),
  types: z.array(z.string()),
  channels: z.array(z.string()),
  mandatory: z.array(z.object({ type: z.string(), channel: z.string() })),
});
const preferencesOf = (preferences: Record<string, Record<string, boolean>>) => ({
  preferences,
  types: [...NOTIFICATION_TYPES],
  channels: [...NOTIFICATION_CHANNELS],
  mandatory: [...MANDATORY_SWITCHES],
});

/**
 * The signed-in person's profile, avatar and notification preferences (`/me`: only one's own;
 * an operator acting as a user with X-Act-As edits theirs, audited), the public avatar of any
 * user, and the profile of any user for staff with `user:read`.
 */
export async function profileRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    await registerUploads(scope);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['me'];
    const signedIn = { onRequest: app.requires() };
    const { profiles, pool } = services;

    /** Whose profile `/me` means: the signed-in user, or the user acted for. */
    const subjectOf = (request: FastifyRequest): string => {
      const id = request.actor?.actAsId ?? request.actor?.id ?? '';
      if (!isUuid(id)) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
      return id;
    };
    const profileOf = async (userId: string) => {
      const profile = await getProfile(pool, userId);
      if (!profile) throw notFound('USER_NOT_FOUND', 'Không tìm thấy người dùng');
      return profile;
    };
    /** Read-your-writes: answer once rm.profiles shows the change (or after 2 s). */
    const settled = async (position: bigint | null) => {
      if (position !== null) await waitForProjection(pool, 'profiles', position, 2000);
    };

    api.get(
      '/api/v1/me/profile',
      { ...signedIn, schema: { tags, summary: 'My profile', response: { 200: envelopeOf(profileView) } } },
      async (request) => ok(await profileOf(subjectOf(request))),
    );

    api.patch(
      '/api/v1/me/profile',
      {
        ...signedIn,
        schema: {
          tags,
          summary: 'Change some of my profile fields (null clears an optional one)',
          body: profilePatch,
          response: { 200: envelopeOf(profileView) },
        },
      },
      async (request) => {
        const userId = subjectOf(request);
        await profileOf(userId);
        const result = await profiles.handle(
          { type: 'UpdateProfile', userId, changes: request.body },
          commandMetadataOf(request),
        );
        await settled(result.position);
        return ok(await profileOf(userId), 'Đã cập nhật hồ sơ');
      },
    );

    api.post(
      '/api/v1/me/avatar',
      {
        ...signedIn,
        schema: {
          tags,
          summary: 'Upload my avatar: multipart field `file`, JPEG/PNG/WebP by content, at most 2 MB',
          consumes: ['multipart/form-data'],
          response: { 200: envelopeOf(z.object({ avatarUrl: z.string().nullable() })) },
        },
      },
      async (request) => {
        const userId = subjectOf(request);
        await profileOf(userId);
        const { files } = await readUploads(request, {
          fileFields: ['file'],
          maxFiles: 1,
          maxFileBytes: AVATAR_MAX_BYTES,
        });
        const file = files[0];
        if (!file) throw new DomainError('invalid', 'FILE_REQUIRED', 'Chọn một ảnh để tải lên', { field: 'file' });
        const result = await profiles.changeAvatar(userId, file.bytes, commandMetadataOf(request));
        await settled(result.position);
        return ok({ avatarUrl: (await profileOf(userId)).avatarUrl }, 'Đã cập nhật ảnh đại diện');
      },
    );

    api.delete(
      '/api/v1/me/avatar',
      { ...signedIn, schema: { tags, summary: 'Remove my avatar', response: { 200: envelopeOf(z.null()) } } },
      async (request) => {
        const result = await profiles.changeAvatar(subjectOf(request), null, commandMetadataOf(request));
        await settled(result.position);
        return ok(null, 'Đã xóa ảnh đại diện');
      },
    );

    api.get(
      '/api/v1/users/:id/avatar',
      {
        schema: {
          tags,
          summary: "A user's avatar image (public, like the name shown beside a listing)",
          params: z.object({ id: z.string().max(64) }),
        },
      },
      async (request, reply) => {
        const key = await getAvatarKey(pool, request.params.id);
        const file = key === null ? null : await services.storage.get(key);
        if (!file) throw notFound('AVATAR_NOT_FOUND', 'Người dùng chưa có ảnh đại diện');
        return reply
          .type(file.contentType)
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', 'inline; filename="avatar.webp"')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'public, max-age=300')
          .send(file.bytes);
      },
    );

    api.get(
      '/api/v1/me/notification-preferences',
      {
        ...signedIn,
        schema: { tags, summary: 'My notification preferences', response: { 200: envelopeOf(preferencesView) } },
      },
      async (request) => ok(preferencesOf(await getNotificationPreferences(pool, subjectOf(request)))),
    );

    api.put(
      '/api/v1/me/notification-preferences',
      {
        ...signedIn,
        schema: {
          tags,
          summary: 'Turn notification channels on or off per type; switches not given keep their value',
          body: z.object({ preferences: z.record(z.string().max(40), switches) }),
          response: { 200: envelopeOf(preferencesView) },
        },
      },
      async (request) => {
        const userId = subjectOf(request);
        await profileOf(userId);
        const result = await profiles.handle(
          { type: 'SetNotificationPreferences', userId, preferences: request.body.preferences },
          commandMetadataOf(request),
        );
        await settled(result.position);
        return ok(preferencesOf(await getNotificationPreferences(pool, userId)), 'Đã lưu tùy chọn thông báo');
      },
    );

    api.get(
      '/api/v1/admin/users/:id/profile',
      {
        onRequest: app.requires('user:read'),
        schema: {
          tags: ['admin'],
          summary: "A user's profile (staff)",
          params: z.object({ id: z.uuid() }),
          response: { 200: envelopeOf(profileView) },
        },
      },
      async (request) => ok(await profileOf(request.params.id)),
    );
  });
}
