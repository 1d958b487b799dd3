import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { contractDecider } from '../../domain/contracts/contract.js';
import { contractStream } from '../../domain/contracts/contract-events.js';
import { type HandoverCommand, type HandoverState, handoverDecider } from '../../domain/contracts/handover.js';
import {
  type HandoverContent,
  type HandoverKind,
  type HandoverParty,
  handoverStream,
  type MeterReadings,
} from '../../domain/contracts/handover-events.js';
import { isDomainError } from '../../domain/shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../../domain/shared/errors.js';
import { commandHandler, currentState, type HandlerDeps } from '../handler.js';
import type { CommandMetadata } from '../metadata.js';
import { type MoneyHandlers, stepMetadata } from '../payments/money-handlers.js';
import type { FileStorage, StoredFile } from '../storage/port.js';
import { sniffFile } from '../storage/sniff.js';
import type { SignatureOrigin } from './contracts.js';
import { type IssuedChallenge, type SigningService, withVerifiedCode } from './signing.js';

export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const PHOTO_MAX_PIXELS = 50_000_000;
const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/** `handovers/<handoverId>/<uuid>.jpg`: photos live beside their report, named by the server. */
const PHOTO_NAME = /^[0-9a-f-]{36}\.(jpg|png|webp)$/;
export const photoKeyOf = (handoverId: string, name: string) => `handovers/${handoverId}/${name}`;

export interface HandoverServiceDeps extends HandlerDeps {
  money: { handlers: MoneyHandlers };
  signing: SigningService;
  storage: FileStorage;
  /** The reports of a contract (read model): which move-in is completed, whether a move-out is done. */
  reportsOf(contractId: string): Promise<{ id: string; kind: HandoverKind; status: string }[]>;
}

const CONTENT_FIELDS = /^(meters|assets|notes|deductions)(\.|$)/;

/** The domain names content fields from the content (`meters.water`); the API's body nests them under `content`. */
function inBody(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.field === undefined || !CONTENT_FIELDS.test(error.field)) return error;
  return new DomainError(error.kind, error.code, error.message, {
    field: `content.${error.field}`,
    ...(error.details && { details: error.details }),
  });
}

const handoverNotFound = () => notFound('HANDOVER_NOT_FOUND', 'Không tìm thấy biên bản bàn giao');
const notAParty = () => new DomainError('forbidden', 'NOT_A_PARTY', 'Bạn không phải là một bên của biên bản này');

export const handoverPartyOf = (state: HandoverState, userId: string): HandoverParty | null =>
  state.parties?.customerId === userId ? 'customer' : state.parties?.ownerId === userId ? 'owner' : null;

/**
 * Handover reports (BienBanBanGiao, UC-OPER-06): opened by staff for a signed contract while the
 * room stream grants the one report in progress, filled, signed by customer and owner by OTP.
 * What completion does to the room and the deposit is a reaction (handover-reactions.ts).
 */
export function handoverService(deps: HandoverServiceDeps) {
  const { money, signing, storage } = deps;
  const handle = commandHandler(deps, {
    decider: handoverDecider,
    stream: (command: HandoverCommand) => handoverStream(command.handoverId),
  });
  const state = (handoverId: string) => currentState(deps.store, handoverStream(handoverId), handoverDecider);

  async function existing(handoverId: string): Promise<HandoverState> {
    const handover = await state(handoverId);
    if (handover.status === 'not_started' || !handover.parties) throw handoverNotFound();
    return handover;
  }

  /** What the deposit still holds (0 once released or ended): the most a move-out may deduct. */
  async function depositHeldVnd(depositId: string): Promise<number> {
    const deposit = await money.handlers.depositState(depositId);
    return deposit.status === 'held' ? deposit.amountVnd : 0;
  }

  /** A move-out compares with the contract's completed move-in; a move-in needs none done yet. */
  async function moveInOf(contractId: string, kind: HandoverKind) {
    const reports = await deps.reportsOf(contractId);
    const completed = (k: HandoverKind) => reports.find((r) => r.kind === k && r.status === 'completed');
    if (completed('move_out')) throw conflict('MOVE_OUT_DONE', 'Hợp đồng đã bàn giao trả phòng');
    const moveIn = completed('move_in');
    if (kind === 'move_in') {
      if (moveIn) throw conflict('MOVE_IN_DONE', 'Hợp đồng đã bàn giao nhận phòng', { handoverId: moveIn.id });
      return { moveInHandoverId: null, moveInMeters: null };
    }
    if (!moveIn) throw conflict('MOVE_IN_REQUIRED', 'Cần biên bản bàn giao nhận phòng đã hoàn tất trước khi trả phòng');
    const report = await state(moveIn.id);
    return { moveInHandoverId: moveIn.id, moveInMeters: report.content?.meters ?? null };
  }

  /** Every photo named must be one uploaded to this report. */
  async function checkPhotos(handoverId: string, content: HandoverContent) {
    for (const [i, asset] of content.assets.entries()) {
      for (const [j, key] of asset.photoKeys.entries()) {
        const field = `content.assets.${i}.photoKeys.${j}`;
        const prefix = `handovers/${handoverId}/`;
        if (!key.startsWith(prefix) || !PHOTO_NAME.test(key.slice(prefix.length))) {
          throw invalid('PHOTO_KEY_INVALID', 'Ảnh không thuộc biên bản này; hãy tải ảnh lên biên bản trước', field);
        }
        if (!(await storage.get(key))) throw invalid('PHOTO_NOT_FOUND', 'Không tìm thấy ảnh đã tải lên', field);
      }
    }
  }

  /**
   * Opens a report: the room first grants the claim (one report in progress per room, decided by
   * the room stream), then the report is written; if that fails the claim is given back.
   */
  async function open(
    input: { handoverId: string; contractId: string; kind: HandoverKind; content: HandoverContent },
    openedBy: string,
    metadata: CommandMetadata,
  ) {
    const contract = await currentState(deps.store, contractStream(input.contractId), contractDecider);
    if (contract.status === 'none' || !contract.parties)
      throw notFound('CONTRACT_NOT_FOUND', 'Không tìm thấy hợp đồng');
    await checkPhotos(input.handoverId, input.content);
    const { roomId, projectId, customerId, ownerId, depositId } = contract.parties;
    const moveIn = contract.status === 'signed' ? await moveInOf(input.contractId, input.kind) : null;
    const command: HandoverCommand = {
      type: 'OpenHandover',
      handoverId: input.handoverId,
      kind: input.kind,
      openedBy,
      content: input.content,
      contractSigned: contract.status === 'signed',
      moveInHandoverId: moveIn?.moveInHandoverId ?? null,
      moveInMeters: moveIn?.moveInMeters ?? null,
      depositHeldVnd: await depositHeldVnd(depositId),
      contractId: input.contractId,
      roomId,
      projectId,
      customerId,
      ownerId,
      depositId,
    };
    // The rules of the report itself first, so a refused report never claims the room.
    const dryRun = handoverDecider.decide(command, handoverDecider.initialState(), {
      now: deps.clock(),
      actorId: openedBy,
      roles: metadata.roles,
    });
    if (isDomainError(dryRun)) throw inBody(dryRun);
    const claim = { roomId, handoverId: input.handoverId };
    await money.handlers.room({ type: 'OpenRoomHandover', ...claim }, metadata);
    try {
      return await handle(command, metadata);
    } catch (error) {
      await money.handlers
        .room({ type: 'CloseRoomHandover', ...claim }, stepMetadata(metadata, `handover-unclaim:${input.handoverId}`))
        .catch(() => undefined);
      throw error;
    }
  }

  async function record(handoverId: string, content: HandoverContent, metadata: CommandMetadata) {
    const handover = await existing(handoverId);
    await checkPhotos(handoverId, content);
    const moveInMeters: MeterReadings | null = handover.moveInHandoverId
      ? ((await state(handover.moveInHandoverId)).content?.meters ?? null)
      : null;
    const parties = handover.parties as NonNullable<HandoverState['parties']>;
    return handle(
      {
        type: 'RecordHandoverContent',
        handoverId,
        content,
        moveInMeters,
        depositHeldVnd: await depositHeldVnd(parties.depositId),
      },
      metadata,
    ).catch((error: unknown) => {
      throw inBody(error);
    });
  }

  async function issueOtp(handoverId: string, userId: string): Promise<IssuedChallenge> {
    const handover = await existing(handoverId);
    const party = handoverPartyOf(handover, userId);
    if (party === null) throw notAParty();
    const dryRun = handoverDecider.decide(
      {
        type: 'SignHandover',
        handoverId,
        party,
        signerId: userId,
        ip: '',
        userAgent: '',
        documentSha256: handover.documentSha256,
      },
      handover,
      { now: deps.clock(), actorId: userId, roles: [] },
    );
    if (isDomainError(dryRun)) throw dryRun;
    const title = handover.kind === 'move_in' ? 'nhận phòng' : 'trả phòng';
    return signing.issue({
      userId,
      subject: 'handover',
      subjectId: handoverId,
      party,
      documentSha256: handover.documentSha256,
      documentTitle: `biên bản bàn giao ${title}`,
    });
  }

  async function sign(
    handoverId: string,
    input: { challengeId: string; code: string },
    userId: string,
    origin: SignatureOrigin,
    metadata: CommandMetadata,
  ) {
    const handover = await existing(handoverId);
    if (handoverPartyOf(handover, userId) === null) throw notAParty();
    return withVerifiedCode(signing, { ...input, userId, subject: 'handover', subjectId: handoverId }, (challenge) =>
      handle(
        {
          type: 'SignHandover',
          handoverId,
          party: challenge.party,
          signerId: userId,
          ip: origin.ip,
          userAgent: origin.userAgent,
          documentSha256: challenge.documentSha256,
        },
        metadata,
      ),
    );
  }

  /** Cancels a report no one signed yet; the room's claim is given back at once (and by the reaction). */
  async function cancel(handoverId: string, reason: string, metadata: CommandMetadata) {
    const handover = await existing(handoverId);
    const result = await handle({ type: 'CancelHandover', handoverId, reason }, metadata);
    const roomId = handover.parties?.roomId ?? '';
    await money.handlers.room(
      { type: 'CloseRoomHandover', roomId, handoverId },
      stepMetadata(metadata, `handover-unclaim:${handoverId}`),
    );
    return result;
  }

  /** A photo for the report: checked by content, re-encoded without its metadata (GPS, camera). */
  async function uploadPhoto(handoverId: string, bytes: Buffer): Promise<{ fileKey: string; name: string }> {
    const handover = await existing(handoverId);
    if (handover.status !== 'in_progress') {
      throw conflict('HANDOVER_COMPLETED', 'Biên bản đã kết thúc; không thêm ảnh được', { status: handover.status });
    }
    const type = await sniffFile(bytes, PHOTO_CONTENT_TYPES, 'file');
    if (isDomainError(type)) throw type;
    let cleaned: Buffer;
    try {
      const image = sharp(bytes, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error', autoOrient: true });
      const encoder =
        type === 'image/jpeg'
          ? image.jpeg({ quality: 85 })
          : type === 'image/png'
            ? image.png()
            : image.webp({ quality: 85 });
      cleaned = await encoder.toBuffer();
    } catch {
      throw invalid('IMAGE_UNREADABLE', 'Không đọc được ảnh (tệp hỏng hoặc quá lớn)', 'file');
    }
    const name = `${randomUUID()}.${EXTENSIONS[type]}`;
    const fileKey = photoKeyOf(handoverId, name);
    await storage.put(fileKey, cleaned, type);
    return { fileKey, name };
  }

  async function photo(handoverId: string, name: string): Promise<StoredFile> {
    await existing(handoverId);
    const file = PHOTO_NAME.test(name) ? await storage.get(photoKeyOf(handoverId, name)) : null;
    if (!file) throw notFound('PHOTO_NOT_FOUND', 'Không tìm thấy ảnh');
    return file;
  }

  return { handle, state, existing, open, record, issueOtp, sign, cancel, uploadPhoto, photo };
}

export type HandoverService = ReturnType<typeof handoverService>;
