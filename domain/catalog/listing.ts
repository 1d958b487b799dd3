import type { Decider, DecisionContext } from '../shared/decider.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import {
  type ListingBasics,
  type ListingEvent,
  type ListingRoom,
  type ListingStatus,
  type ModerationChecklist,
  ROOM_TYPES,
} from './listing-events.js';
import type { ListingImage } from './listing-images.js';
import type { Authority } from './project.js';
import { checkAddress } from './project.js';
import type { Address, ProjectStatus } from './project-events.js';
import { checkArea, checkPrice } from './room.js';

export interface ListingState {
  exists: boolean;
  status: ListingStatus;
  projectId: string;
  basics: ListingBasics | null;
  amenities: string[];
  address: Address | null;
  rooms: ListingRoom[];
  images: ListingImage[];
  /** Material fields edited while suspended, not reviewed since. */
  unreviewedFields: string[];
}

export type ListingCommand = { listingId: string; by: Authority } & (
  | ({ type: 'CreateListingDraft'; projectId: string } & ListingBasics)
  | ({ type: 'SaveListingBasics' } & ListingBasics)
  | { type: 'SaveListingFeatures'; amenities: string[]; address: Address }
  | { type: 'SaveListingRooms'; rooms: ListingRoom[] }
  | { type: 'AddListingImages'; images: ListingImage[] }
  | { type: 'RemoveListingImage'; key: string }
  | { type: 'ReorderListingImages'; keys: string[] }
  | { type: 'ChooseListingDepositPolicy'; depositPolicyId: string | null }
  | { type: 'SubmitListing' }
  | { type: 'ApproveListing'; checklist: ModerationChecklist; note: string }
  | { type: 'RejectListing'; checklist: ModerationChecklist; reason: string }
  | { type: 'PublishApprovedListing' }
  | { type: 'SuspendListing'; reason: string }
  | { type: 'ReinstateListing' }
  | { type: 'ArchiveListing' }
);

/** Facts from other streams the decision needs, loaded by the service before each try. */
export interface ListingContext extends DecisionContext {
  project: { status: ProjectStatus; ownerId: string; roomIds: ReadonlySet<string> } | null;
  ownerKycVerified: boolean;
  /** Unknown or disabled amenity ids → a 400 naming `amenities.<i>`; null when all are offered. */
  amenityProblem: (ids: readonly string[]) => DomainError | null;
  /** Whether the owner may assign this deposit policy (active, theirs or a template). */
  policyAssignable: boolean;
}

export const LISTING_LIMITS = {
  title: 200,
  descriptionMin: 20,
  description: 5000,
  amenities: 50,
  rooms: 100,
  images: 30,
  reason: 500,
} as const;

/**
 * Edits that change what a customer is told (the moderation checklist's subject) send a published
 * or approved listing back to review. Reordering rooms or images and choosing another deposit
 * policy (the owner's own, already-validated terms) are not material.
 */
const sameRoomsIgnoringOrder = (before: readonly ListingRoom[], after: readonly ListingRoom[]) => {
  const key = (room: ListingRoom) => JSON.stringify([room.roomId, room.price, room.areaM2, room.description]);
  const earlier = new Set(before.map(key));
  return before.length === after.length && after.every((room) => earlier.has(key(room)));
};

/** Field by field: an address read back from the event store (JSONB) has its keys in another order. */
const sameAddress = (a: Address, b: Address | null) =>
  b !== null && a.areaId === b.areaId && a.street === b.street && a.lat === b.lat && a.lng === b.lng;

const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
const wrongStatus = (status: ListingStatus, action: string) =>
  conflict('LISTING_STATUS_CONFLICT', `Tin đăng đang ở trạng thái ${status}, không thể ${action}`, { status });

function checkText(value: string, field: string, max: number, min = 1): DomainError | null {
  const length = [...value.trim()].length;
  if (length === 0) return invalid('FIELD_REQUIRED', 'Trường này là bắt buộc', field);
  if (length < min) return invalid('FIELD_TOO_SHORT', `Tối thiểu ${min} ký tự`, field);
  return length > max ? invalid('FIELD_TOO_LONG', `Tối đa ${max} ký tự`, field) : null;
}

function checkBasics(basics: ListingBasics): DomainError | null {
  if (!(ROOM_TYPES as readonly string[]).includes(basics.roomType)) {
    return invalid('ROOM_TYPE_INVALID', `Loại phòng phải là ${ROOM_TYPES.join(', ')}`, 'roomType');
  }
  return (
    checkText(basics.title, 'title', LISTING_LIMITS.title) ??
    checkText(basics.description, 'description', LISTING_LIMITS.description, LISTING_LIMITS.descriptionMin)
  );
}

function checkRooms(rooms: readonly ListingRoom[], projectRooms: ReadonlySet<string>): DomainError | null {
  if (rooms.length > LISTING_LIMITS.rooms) {
    return invalid('TOO_MANY_ROOMS', `Tối đa ${LISTING_LIMITS.rooms} phòng mỗi tin`, 'rooms');
  }
  const seen = new Set<string>();
  for (const [index, room] of rooms.entries()) {
    const field = `rooms.${index}`;
    if (!projectRooms.has(room.roomId))
      return invalid('ROOM_NOT_IN_PROJECT', 'Phòng không thuộc dự án', `${field}.roomId`);
    if (seen.has(room.roomId)) return invalid('ROOM_DUPLICATED', 'Phòng bị chọn hai lần', `${field}.roomId`);
    seen.add(room.roomId);
    const bad =
      (room.price === null ? null : checkPrice(room.price, `${field}.price`)) ??
      (room.areaM2 === null ? null : checkArea(room.areaM2, `${field}.areaM2`)) ??
      (room.description === null ? null : checkText(room.description, `${field}.description`, 2000));
    if (bad) return bad;
  }
  return null;
}

/** What is still missing before the listing can be sent to review, as a 400 naming the step's field. */
function submissionProblem(state: ListingState): DomainError | null {
  if (state.basics === null) return invalid('STEP_INCOMPLETE', 'Điền thông tin cơ bản (bước 1)', 'title');
  if (state.address === null) return invalid('STEP_INCOMPLETE', 'Nhập địa chỉ (bước 2)', 'address');
  if (state.rooms.length === 0) return invalid('STEP_INCOMPLETE', 'Chọn ít nhất một phòng (bước 3)', 'rooms');
  if (state.images.length === 0) return invalid('IMAGES_REQUIRED', 'Tải lên ít nhất một hình ảnh (bước 4)', 'images');
  return null;
}

const canPublish = (context: ListingContext) => context.ownerKycVerified && context.project?.status === 'active';

/**
 * Nhap → ChoDuyet → DaDuyet → DaDang → (TamNgung | TuChoi) → LuuTru. An approved listing is
 * published at once when its owner is KYC-verified and its project active; otherwise it waits as
 * `approved` and the publication reaction publishes it when both hold.
 */
export const listingDecider: Decider<ListingCommand, ListingState, ListingEvent, ListingContext> = {
  initialState: () => ({
    exists: false,
    status: 'draft',
    projectId: '',
    basics: null,
    amenities: [],
    address: null,
    rooms: [],
    images: [],
    unreviewedFields: [],
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'ListingDraftCreated': {
        const { title, description, roomType, projectId } = event.data;
        return { ...state, exists: true, projectId, basics: { title, description, roomType } };
      }
      case 'ListingBasicsSaved': {
        const { title, description, roomType } = event.data;
        return { ...state, basics: { title, description, roomType } };
      }
      case 'ListingFeaturesSaved':
        return { ...state, amenities: event.data.amenities, address: event.data.address };
      case 'ListingRoomsSaved':
        return { ...state, rooms: event.data.rooms };
      case 'ListingImagesAdded':
        return { ...state, images: [...state.images, ...event.data.images] };
      case 'ListingImageRemoved':
        return { ...state, images: state.images.filter((image) => image.key !== event.data.key) };
      case 'ListingImagesReordered': {
        const byKey = new Map(state.images.map((image) => [image.key, image]));
        return { ...state, images: event.data.keys.flatMap((key) => byKey.get(key) ?? []) };
      }
      case 'ListingSubmitted':
      case 'ListingReturnedToReview':
        return { ...state, status: 'pending_review', unreviewedFields: [] };
      case 'ListingEditedWhileSuspended':
        return { ...state, unreviewedFields: [...new Set([...state.unreviewedFields, ...event.data.fields])] };
      case 'ListingApproved':
        return { ...state, status: 'approved' };
      case 'ListingRejected':
        return { ...state, status: 'rejected' };
      case 'ListingPublished':
        return { ...state, status: 'published' };
      case 'ListingSuspended':
        return { ...state, status: 'suspended' };
      case 'ListingReinstated':
        return { ...state, status: event.data.published ? 'published' : 'approved' };
      case 'ListingArchived':
        return { ...state, status: 'archived' };
      default:
        return state;
    }
  },

  decide(command, state, context) {
    const { listingId } = command;
    const project = context.project;
    if (command.type === 'CreateListingDraft') {
      if (state.exists) return conflict('LISTING_EXISTS', 'Tin đăng đã tồn tại');
      if (project === null || project.ownerId !== context.actorId) {
        return notFound('PROJECT_NOT_FOUND', 'Không tìm thấy dự án');
      }
      if (project.status === 'archived' || project.status === 'banned') {
        return conflict('PROJECT_NOT_OPEN', `Dự án đang ở trạng thái ${project.status}`, { status: project.status });
      }
      const { title, description, roomType, projectId } = command;
      const bad = checkBasics({ title, description, roomType });
      if (bad) return bad;
      return [
        {
          type: 'ListingDraftCreated',
          data: {
            listingId,
            projectId,
            ownerId: project.ownerId,
            title: title.trim(),
            description: description.trim(),
            roomType,
          },
        },
      ];
    }
    if (!state.exists) return notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
    // Ownership follows the project: a reassigned project's listings belong to its new owner.
    if (command.by === 'owner' && project?.ownerId !== context.actorId) {
      return notFound('LISTING_NOT_FOUND', 'Không tìm thấy tin đăng');
    }
    const staffOnly =
      command.by === 'staff' ? null : forbidden('OPERATOR_ONLY', 'Chỉ nhân viên điều hành được làm việc này');

    /**
     * An edit's event, plus a return to review when it changes material `fields` of an approved or
     * live listing.
     */
    const edit = (event: ListingEvent, fields: string[] = []): ListingEvent[] | DomainError => {
      if (state.status === 'archived') return wrongStatus(state.status, 'chỉnh sửa');
      if (fields.length === 0) return [event];
      if (state.status === 'suspended')
        return [event, { type: 'ListingEditedWhileSuspended', data: { listingId, fields } }];
      const goesBack = state.status === 'published' || state.status === 'approved';
      return goesBack ? [event, { type: 'ListingReturnedToReview', data: { listingId, fields } }] : [event];
    };

    switch (command.type) {
      case 'SaveListingBasics': {
        const { title, description, roomType } = command;
        const bad = checkBasics({ title, description, roomType });
        if (bad) return bad;
        const data = { listingId, title: title.trim(), description: description.trim(), roomType };
        const before = state.basics;
        const fields =
          before === null ? [] : (['title', 'description', 'roomType'] as const).filter((f) => before[f] !== data[f]);
        return edit({ type: 'ListingBasicsSaved', data }, fields);
      }
      case 'SaveListingFeatures': {
        if (command.amenities.length > LISTING_LIMITS.amenities) {
          return invalid('TOO_MANY_AMENITIES', `Tối đa ${LISTING_LIMITS.amenities} tiện ích`, 'amenities');
        }
        const amenities = [...new Set(command.amenities)];
        const bad = context.amenityProblem(command.amenities) ?? checkAddress(command.address);
        if (bad) return bad;
        const fields = [
          ...(JSON.stringify([...amenities].sort()) === JSON.stringify([...state.amenities].sort())
            ? []
            : ['amenities']),
          ...(sameAddress(command.address, state.address) ? [] : ['address']),
        ];
        return edit({ type: 'ListingFeaturesSaved', data: { listingId, amenities, address: command.address } }, fields);
      }
      case 'SaveListingRooms': {
        const bad = checkRooms(command.rooms, project?.roomIds ?? new Set());
        if (bad) return bad;
        const rooms = command.rooms.map((room) => ({ ...room, description: room.description?.trim() ?? null }));
        const fields = sameRoomsIgnoringOrder(state.rooms, rooms) ? [] : ['rooms'];
        return edit({ type: 'ListingRoomsSaved', data: { listingId, rooms } }, fields);
      }
      case 'AddListingImages': {
        if (command.images.length === 0) return invalid('IMAGES_REQUIRED', 'Chọn ít nhất một hình ảnh', 'images');
        if (state.images.length + command.images.length > LISTING_LIMITS.images) {
          return invalid('TOO_MANY_IMAGES', `Mỗi tin tối đa ${LISTING_LIMITS.images} hình ảnh`, 'images');
        }
        return edit({ type: 'ListingImagesAdded', data: { listingId, images: command.images } }, ['images']);
      }
      case 'RemoveListingImage': {
        if (!state.images.some((image) => image.key === command.key)) {
          return notFound('IMAGE_NOT_FOUND', 'Không tìm thấy hình ảnh');
        }
        if (state.images.length === 1 && state.status !== 'draft' && state.status !== 'rejected') {
          return invalid('IMAGES_REQUIRED', 'Tin đăng cần ít nhất một hình ảnh', 'images');
        }
        return edit({ type: 'ListingImageRemoved', data: { listingId, key: command.key } }, ['images']);
      }
      case 'ReorderListingImages': {
        const current = new Set(state.images.map((image) => image.key));
        const same = command.keys.length === current.size && command.keys.every((key) => current.has(key));
        if (!same || new Set(command.keys).size !== command.keys.length) {
          return invalid('IMAGE_ORDER_INVALID', 'Thứ tự phải liệt kê đúng mỗi hình ảnh một lần', 'keys');
        }
        return edit({ type: 'ListingImagesReordered', data: { listingId, keys: command.keys } });
      }
      case 'ChooseListingDepositPolicy':
        if (command.depositPolicyId !== null && !context.policyAssignable) {
          return invalid(
            'DEPOSIT_POLICY_UNAVAILABLE',
            'Chính sách cọc không tồn tại hoặc đã bị vô hiệu hóa',
            'depositPolicyId',
          );
        }
        return edit({
          type: 'ListingDepositPolicyChosen',
          data: { listingId, depositPolicyId: command.depositPolicyId },
        });
      case 'SubmitListing': {
        if (state.status === 'pending_review') return [];
        if (state.status !== 'draft' && state.status !== 'rejected') return wrongStatus(state.status, 'gửi duyệt');
        if (project?.status !== 'active') {
          return conflict('PROJECT_NOT_ACTIVE', 'Dự án không hoạt động, không thể gửi duyệt', {
            status: project?.status,
          });
        }
        const missing = submissionProblem(state);
        if (missing) return missing;
        return [{ type: 'ListingSubmitted', data: { listingId } }];
      }
      case 'ApproveListing': {
        if (staffOnly) return staffOnly;
        if (state.status !== 'pending_review') return wrongStatus(state.status, 'duyệt');
        const { accurate, imagesClear, priceReasonable } = command.checklist;
        if (!accurate || !imagesClear || !priceReasonable) {
          return invalid('CHECKLIST_INCOMPLETE', 'Mọi mục kiểm duyệt phải đạt trước khi phê duyệt', 'checklist');
        }
        const checklist = { ...command.checklist, ownerKycVerified: context.ownerKycVerified };
        const approved: ListingEvent = {
          type: 'ListingApproved',
          data: { listingId, checklist, note: command.note.trim() },
        };
        return canPublish(context) ? [approved, { type: 'ListingPublished', data: { listingId } }] : [approved];
      }
      case 'RejectListing': {
        if (staffOnly) return staffOnly;
        if (state.status !== 'pending_review') return wrongStatus(state.status, 'từ chối');
        const bad = checkText(command.reason, 'reason', LISTING_LIMITS.reason);
        if (bad) return bad;
        const checklist = { ...command.checklist, ownerKycVerified: context.ownerKycVerified };
        return [{ type: 'ListingRejected', data: { listingId, checklist, reason: command.reason.trim() } }];
      }
      case 'PublishApprovedListing':
        if (state.status !== 'approved' || !canPublish(context)) return [];
        return [{ type: 'ListingPublished', data: { listingId } }];
      case 'SuspendListing': {
        if (staffOnly) return staffOnly;
        const bad = checkText(command.reason, 'reason', LISTING_LIMITS.reason);
        if (bad) return bad;
        if (state.status === 'suspended') return [];
        if (state.status !== 'published' && state.status !== 'approved') return wrongStatus(state.status, 'tạm ngưng');
        return [{ type: 'ListingSuspended', data: { listingId, reason: command.reason.trim() } }];
      }
      case 'ReinstateListing':
        if (staffOnly) return staffOnly;
        if (state.status !== 'suspended') return wrongStatus(state.status, 'khôi phục');
        if (state.unreviewedFields.length > 0) {
          return [{ type: 'ListingReturnedToReview', data: { listingId, fields: state.unreviewedFields } }];
        }
        return [{ type: 'ListingReinstated', data: { listingId, published: canPublish(context) } }];
      case 'ArchiveListing':
        if (state.status === 'archived') return [];
        return [{ type: 'ListingArchived', data: { listingId } }];
    }
  },
};
