import type pg from 'pg';
import {
  type StaffProfileData,
  type StaffRole,
  type StaffStatus,
  staffCodeStream,
  staffStream,
} from '../../domain/identity/staff-events.js';
import {
  normalizeStaffCode,
  type StaffProfileCommand,
  staffCodeDecider,
  staffProfileDecider,
} from '../../domain/identity/staff-profile.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { invalid } from '../../domain/shared/errors.js';
import { commandHandler, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import { type InvitationService, stepOf } from './invitations.js';
import type { UserCommands } from './users.js';

export interface StaffDeps extends HandlerDeps {
  pool: pg.Pool;
  users: UserCommands;
  invitations: InvitationService;
}

export interface NewStaff {
  userId: string;
  email: string;
  name: string;
  phone: string | null;
  role: StaffRole;
  profile: StaffProfileData;
  locale: 'vi' | 'en';
}

const LEFT_LOCK_REASON = 'Nhân viên đã nghỉ việc';

/**
 * Staff accounts and profiles (UC-OPER-04/05). The account is a user stream, the profile a
 * `staff-<userId>` stream, and the staff code a `staffcode-<CODE>` stream claimed once, so two
 * people can never share a code even when two operators create them at the same moment.
 */
export function staffService(deps: StaffDeps) {
  const profiles = commandHandler(deps, {
    decider: staffProfileDecider,
    stream: (command: StaffProfileCommand) => staffStream(command.userId),
  });
  const codes = commandHandler(deps, {
    decider: staffCodeDecider,
    stream: (command: { code: string }) => staffCodeStream(command.code),
  });

  /** Areas must exist in the area tree (read model; areas are not deleted while in use). */
  async function assertAreas(areaIds: readonly string[] | undefined, field: string) {
    if (!areaIds || areaIds.length === 0) return;
    const { rows } = await deps.pool.query<{ id: string }>('select id from rm.areas where id = any($1::text[])', [
      [...areaIds],
    ]);
    const known = new Set(rows.map((row) => row.id));
    const missing = areaIds.find((id) => !known.has(id));
    if (missing !== undefined) throw invalid('AREA_NOT_FOUND', `Không tìm thấy khu vực ${missing}`, field);
  }

  return {
    /** Creates the account (invite mailed), claims the code and writes the profile; all or nothing before the invite. */
    async create(input: NewStaff, metadata: CommandMetadata) {
      const profile = { ...input.profile, code: normalizeStaffCode(input.profile.code) };
      const create: StaffProfileCommand = {
        type: 'CreateStaffProfile',
        userId: input.userId,
        role: input.role,
        profile,
      };
      // The profile's rules first (pure), so that a bad profile creates no account.
      const check = staffProfileDecider.decide(create, staffProfileDecider.initialState(), {
        now: deps.clock(),
        actorId: metadata.actAsId ?? metadata.actorId,
        roles: metadata.roles,
      });
      if (isDomainError(check)) throw check;
      await assertAreas(profile.areaIds, 'profile.areaIds');
      const claim = { code: profile.code, userId: input.userId };
      const written: { position: bigint | null } = { position: null };
      await deps.invitations.createUser({ ...input, roles: [input.role] }, metadata, {
        reserve: {
          claim: async () => void (await codes({ type: 'ClaimStaffCode', ...claim }, metadata)),
          release: async () => void (await codes({ type: 'ReleaseStaffCode', ...claim }, stepOf(metadata, 'release'))),
        },
        afterRegister: async () => {
          written.position = (await profiles(create, metadata)).position;
        },
      });
      return { userId: input.userId, position: written.position };
    },

    async update(
      userId: string,
      changes: { title?: string; department?: string; areaIds?: string[] },
      metadata: CommandMetadata,
    ) {
      await assertAreas(changes.areaIds, 'areaIds');
      return profiles({ type: 'UpdateStaffProfile', userId, ...changes }, metadata);
    },

    /**
     * UC-OPER-04. Leaving also locks the account and ends every session at once; a repeated
     * "left" (a retry after a failure half-way) does the locking again, so it always completes.
     */
    async changeStatus(userId: string, status: StaffStatus, reason: string | null, metadata: CommandMetadata) {
      const result = await profiles({ type: 'ChangeStaffStatus', userId, status, reason }, metadata);
      if (status === 'left') {
        await deps.users({ type: 'LockUser', userId, reason: reason?.trim() || LEFT_LOCK_REASON }, metadata);
        await deps.pool.query(
          `update identity.sessions set revoked_at = now(), revoked_reason = 'staff_left'
            where user_id = $1 and revoked_at is null`,
          [userId],
        );
        await deps.invitations.cancel(userId);
      }
      return result;
    },
  };
}

export type StaffService = ReturnType<typeof staffService>;
