import sharp from 'sharp';
import { type ProfileCommand, profileDecider } from '../../domain/identity/profile.js';
import { type ProfileEvent, profileStream } from '../../domain/identity/profile-events.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { invalid } from '../../domain/shared/errors.js';
import { type CommandResult, commandHandler, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import { type FileStorage, newFileKey } from '../storage/port.js';
import { sniffFile } from '../storage/sniff.js';

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** Avatars are stored re-encoded: a 256×256 WebP, turned upright, with no metadata (EXIF GPS etc.). */
export const AVATAR_SIZE = 256;
/** Refuses decompression bombs: a 2 MB PNG may claim billions of pixels. */
const AVATAR_MAX_INPUT_PIXELS = 40_000_000;

export interface ProfileServiceDeps extends HandlerDeps {
  storage: FileStorage;
}

/** The stored avatar: any JPEG, PNG or WebP (by content) becomes a small, clean WebP; a broken image is refused. */
export async function avatarThumbnail(bytes: Buffer): Promise<Buffer> {
  const type = await sniffFile(bytes, AVATAR_TYPES);
  if (isDomainError(type)) throw type;
  try {
    return await sharp(bytes, { limitInputPixels: AVATAR_MAX_INPUT_PIXELS, failOn: 'error', animated: false })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover' })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw invalid('IMAGE_INVALID', 'Không đọc được ảnh (tệp hỏng hoặc quá lớn)', 'file');
  }
}

/** Profile, avatar and notification preferences of a person (stream `profile-<userId>`). */
export function profileService(deps: ProfileServiceDeps) {
  const handle = commandHandler(deps, {
    decider: profileDecider,
    stream: (command: ProfileCommand) => profileStream(command.userId),
  });

  async function currentAvatarKey(userId: string): Promise<string | null> {
    let key: string | null = null;
    for await (const event of deps.store.readStream(profileStream(userId))) {
      if (event.type === 'AvatarChanged') key = (event.data as { avatarKey: string | null }).avatarKey;
    }
    return key;
  }

  /** Stores the new image, records it, then removes the image it replaced (or the new one if recording failed). */
  async function changeAvatar(
    userId: string,
    bytes: Buffer | null,
    metadata: CommandMetadata,
  ): Promise<CommandResult<ProfileEvent>> {
    const thumbnail = bytes === null ? null : await avatarThumbnail(bytes);
    const previous = await currentAvatarKey(userId);
    const key = thumbnail === null ? null : newFileKey('avatars', userId, 'image/webp');
    if (key !== null && thumbnail !== null) await deps.storage.put(key, thumbnail, 'image/webp');
    try {
      const result = await handle({ type: 'ChangeAvatar', userId, avatarKey: key }, metadata);
      const recorded = result.events.some((event) => event.type === 'AvatarChanged' && event.data.avatarKey === key);
      // The replaced image goes; so does this one when an idempotent retry answered the first attempt.
      const unused = recorded ? previous : key;
      if (unused !== null) await deps.storage.delete(unused).catch(() => undefined);
      return result;
    } catch (error) {
      if (key !== null) await deps.storage.delete(key).catch(() => undefined);
      throw error;
    }
  }

  return { handle, changeAvatar };
}

export type ProfileService = ReturnType<typeof profileService>;
