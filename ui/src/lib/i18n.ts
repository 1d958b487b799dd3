// UI dictionary. Vietnamese is the default; English is the second language.
// `{name}` placeholders are filled by t() in locale.svelte.ts. Keys prefixed `err.` translate
// API error codes; unknown codes fall back to the server's message. Pages of later features keep
// their words in messages/*.ts (each exports `vi` and `en`), merged below.
import * as account from './messages/account';
import * as admin from './messages/admin';
import * as amenities from './messages/amenities';
import * as auth from './messages/auth';
import * as booking from './messages/booking';
import * as catalog from './messages/catalog';
import * as catalogOwner from './messages/catalog-owner';
import * as contractErrors from './messages/contract-errors';
import * as contracts from './messages/contracts';
import * as depositPolicies from './messages/deposit-policies';
import * as errors from './messages/errors';
import * as expertAvailability from './messages/expert-availability';
import * as experts from './messages/experts';
import * as handovers from './messages/handovers';
import * as jobs from './messages/jobs';
import * as moderation from './messages/moderation';
import * as money from './messages/money';
import * as moneyReports from './messages/money-reports';
import * as notifications from './messages/notifications';
import * as profile from './messages/profile';
import * as shell from './messages/shell';
import * as shifts from './messages/shifts';
import * as staff from './messages/staff';

const baseVi = {
  'app.name': 'Phòng Trọ Việt',
  'app.tagline': 'Sàn cho thuê phòng trọ',
  'nav.label': 'Điều hướng chính',
  'nav.home': 'Trang chủ',
  'nav.areas': 'Khu vực',
  'nav.admin': 'Quản trị',
  'nav.adminAreas': 'Khu vực',
  'nav.health': 'Tình trạng hệ thống',
  'lang.switch': 'English',
  'lang.switchTitle': 'Chuyển sang tiếng Anh',

  'common.loading': 'Đang tải…',
  'common.retry': 'Thử lại',
  'common.save': 'Lưu',
  'common.cancel': 'Huỷ',
  'common.required': 'Không được để trống.',

  'home.title': 'Chào mừng đến với Phòng Trọ Việt',
  'home.intro': 'Phòng Trọ Việt là sàn cho thuê phòng trọ và căn hộ do đội ngũ của chúng tôi trực tiếp vận hành.',
  'home.customers': 'Khách thuê tìm phòng theo khu vực, đặt lịch xem phòng, đặt cọc và ký hợp đồng trực tuyến.',
  'home.owners': 'Chủ dự án đăng tin, quản lý phòng, chính sách cọc và hợp đồng.',
  'home.experts': 'Chuyên gia được xác minh nhận đặt lịch tư vấn có phí, trực tuyến hoặc trực tiếp.',
  'home.browse': 'Xem các khu vực',

  'level.province': 'Tỉnh/Thành phố',
  'level.district': 'Quận/Huyện',
  'level.ward': 'Phường/Xã',

  'areas.title': 'Khu vực',
  'areas.intro': 'Tỉnh/thành phố, quận/huyện và phường/xã có phòng cho thuê.',
  'areas.search': 'Tìm khu vực',
  'areas.searchPlaceholder': 'Ví dụ: quan 1',
  'areas.noResults': 'Không tìm thấy khu vực nào khớp với “{q}”.',
  'areas.empty': 'Chưa có khu vực nào.',
  'areas.hot': 'Nổi bật',
  'areas.expand': 'Mở rộng {name}',
  'areas.collapse': 'Thu gọn {name}',
  'areas.childCount': '{n} khu vực con',

  'admin.areas.title': 'Quản lý khu vực',
  'admin.areas.tree': 'Cây khu vực',
  'admin.create.title': 'Thêm khu vực',
  'admin.create.submit': 'Thêm',
  'admin.create.done': 'Đã thêm “{name}”.',
  'field.name': 'Tên',
  'field.level': 'Cấp',
  'field.parent': 'Thuộc khu vực',
  'field.code': 'Mã (tuỳ chọn)',
  'parent.none': '— Không có (cấp gốc) —',
  'parent.choose': '— Chọn khu vực cha —',
  'parent.noCandidates': 'Chưa có khu vực nào có thể làm khu vực cha.',
  'action.rename': 'Đổi tên',
  'action.move': 'Di chuyển',
  'action.markHot': 'Đánh dấu nổi bật',
  'action.unmarkHot': 'Bỏ nổi bật',
  'action.delete': 'Xoá',
  'action.confirmDelete': 'Xoá “{name}”?',
  'action.yesDelete': 'Xoá hẳn',
  'transfer.title': 'Xuất / nhập dữ liệu',
  'transfer.exportCsv': 'Xuất CSV',
  'transfer.exportJson': 'Xuất JSON',
  'transfer.file': 'Tệp',
  'transfer.format': 'Định dạng',
  'transfer.import': 'Nhập',
  'transfer.noFile': 'Hãy chọn một tệp.',
  'transfer.done': 'Đã nhập: {created} mới, {updated} cập nhật, {unchanged} không đổi.',
  'transfer.invalid': 'Tệp có dòng không hợp lệ nên chưa nhập gì:',
  'transfer.row': 'Dòng',
  'transfer.field': 'Trường',
  'transfer.message': 'Lỗi',

  'health.title': 'Tình trạng hệ thống',
  'health.status': 'Trạng thái',
  'health.ok': 'Hoạt động tốt',
  'health.degraded': 'Suy giảm',
  'health.down': 'Lỗi',
  'health.eventStore': 'Kho sự kiện',
  'health.database': 'Cơ sở dữ liệu',
  'health.projections': 'Mô hình đọc (projection)',
  'health.name': 'Tên',
  'health.version': 'Phiên bản',
  'health.position': 'Vị trí',
  'health.head': 'Đầu luồng',
  'health.lag': 'Chậm (sự kiện)',
  'health.lagSeconds': 'Chậm (giây)',
  'health.none': 'Chưa có projection nào.',
  'health.refresh': 'Làm mới',
  'health.updated': 'Cập nhật lúc {time}',

  'err.AREA_NAME_TAKEN': 'Tên này đã tồn tại trong cùng khu vực cha.',
  'err.AREA_IN_USE': 'Không thể xoá: khu vực còn khu vực con hoặc đang được sử dụng.',
  'err.AREA_PARENT_INVALID': 'Khu vực cha không hợp lệ cho cấp này.',
  'err.AREA_NOT_FOUND': 'Không tìm thấy khu vực.',
  'err.NETWORK_ERROR': 'Không kết nối được máy chủ.',
} as const;

const vi = {
  ...baseVi,
  ...shell.vi,
  ...auth.vi,
  ...account.vi,
  ...admin.vi,
  ...errors.vi,
  ...profile.vi,
  ...staff.vi,
  ...amenities.vi,
  ...depositPolicies.vi,
  ...catalog.vi,
  ...catalogOwner.vi,
  ...moderation.vi,
  ...booking.vi,
  ...shifts.vi,
  ...experts.vi,
  ...expertAvailability.vi,
  ...money.vi,
  ...moneyReports.vi,
  ...notifications.vi,
  ...jobs.vi,
  ...contracts.vi,
  ...handovers.vi,
  ...contractErrors.vi,
};

export type MessageKey = keyof typeof vi;
export type Lang = 'vi' | 'en';

const baseEn: Record<keyof typeof baseVi, string> = {
  'app.name': 'Rental Marketplace',
  'app.tagline': 'Rooms for rent in Vietnam',
  'nav.label': 'Main navigation',
  'nav.home': 'Home',
  'nav.areas': 'Areas',
  'nav.admin': 'Admin',
  'nav.adminAreas': 'Areas',
  'nav.health': 'System health',
  'lang.switch': 'Tiếng Việt',
  'lang.switchTitle': 'Switch to Vietnamese',

  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.required': 'Required.',

  'home.title': 'Welcome to the Rental Marketplace',
  'home.intro': 'A marketplace for renting rooms and apartments in Vietnam, run by our own staff.',
  'home.customers': 'Customers find rooms by area, book viewings, pay deposits and sign contracts online.',
  'home.owners': 'Owners publish listings and manage rooms, deposit policies and contracts.',
  'home.experts': 'Verified experts are booked for paid consultations, online or in person.',
  'home.browse': 'Browse areas',

  'level.province': 'Province/City',
  'level.district': 'District',
  'level.ward': 'Ward/Commune',

  'areas.title': 'Areas',
  'areas.intro': 'Provinces, districts and wards with rooms for rent.',
  'areas.search': 'Search areas',
  'areas.searchPlaceholder': 'e.g. quan 1',
  'areas.noResults': 'No area matches “{q}”.',
  'areas.empty': 'No areas yet.',
  'areas.hot': 'Hot',
  'areas.expand': 'Expand {name}',
  'areas.collapse': 'Collapse {name}',
  'areas.childCount': '{n} sub-areas',

  'admin.areas.title': 'Manage areas',
  'admin.areas.tree': 'Area tree',
  'admin.create.title': 'Add an area',
  'admin.create.submit': 'Add',
  'admin.create.done': 'Added “{name}”.',
  'field.name': 'Name',
  'field.level': 'Level',
  'field.parent': 'Parent area',
  'field.code': 'Code (optional)',
  'parent.none': '— None (top level) —',
  'parent.choose': '— Choose a parent —',
  'parent.noCandidates': 'No area can be the parent yet.',
  'action.rename': 'Rename',
  'action.move': 'Move',
  'action.markHot': 'Mark hot',
  'action.unmarkHot': 'Unmark hot',
  'action.delete': 'Delete',
  'action.confirmDelete': 'Delete “{name}”?',
  'action.yesDelete': 'Yes, delete',
  'transfer.title': 'Export / import',
  'transfer.exportCsv': 'Export CSV',
  'transfer.exportJson': 'Export JSON',
  'transfer.file': 'File',
  'transfer.format': 'Format',
  'transfer.import': 'Import',
  'transfer.noFile': 'Choose a file.',
  'transfer.done': 'Imported: {created} created, {updated} updated, {unchanged} unchanged.',
  'transfer.invalid': 'The file has invalid rows, so nothing was imported:',
  'transfer.row': 'Row',
  'transfer.field': 'Field',
  'transfer.message': 'Error',

  'health.title': 'System health',
  'health.status': 'Status',
  'health.ok': 'OK',
  'health.degraded': 'Degraded',
  'health.down': 'Down',
  'health.eventStore': 'Event store',
  'health.database': 'Database',
  'health.projections': 'Projections',
  'health.name': 'Name',
  'health.version': 'Version',
  'health.position': 'Position',
  'health.head': 'Head',
  'health.lag': 'Lag (events)',
  'health.lagSeconds': 'Lag (seconds)',
  'health.none': 'No projections yet.',
  'health.refresh': 'Refresh',
  'health.updated': 'Updated at {time}',

  'err.AREA_NAME_TAKEN': 'This name already exists under the same parent.',
  'err.AREA_IN_USE': 'Cannot delete: the area has sub-areas or is in use.',
  'err.AREA_PARENT_INVALID': 'That parent is not valid for this level.',
  'err.AREA_NOT_FOUND': 'Area not found.',
  'err.NETWORK_ERROR': 'Cannot reach the server.',
};

const en: Record<MessageKey, string> = {
  ...baseEn,
  ...shell.en,
  ...auth.en,
  ...account.en,
  ...admin.en,
  ...errors.en,
  ...profile.en,
  ...staff.en,
  ...amenities.en,
  ...depositPolicies.en,
  ...catalog.en,
  ...catalogOwner.en,
  ...moderation.en,
  ...booking.en,
  ...shifts.en,
  ...experts.en,
  ...expertAvailability.en,
  ...money.en,
  ...moneyReports.en,
  ...notifications.en,
  ...jobs.en,
  ...contracts.en,
  ...handovers.en,
  ...contractErrors.en,
};

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { vi, en };

export function isLang(v: unknown): v is Lang {
  return v === 'vi' || v === 'en';
}

export function hasKey(key: string): key is MessageKey {
  return key in vi;
}
