// Top bar, roles, statuses, act-as banner, page guard and shared words.

export const vi = {
  'nav.signIn': 'Đăng nhập',
  'nav.signUp': 'Đăng ký',
  'nav.account': 'Tài khoản',
  'nav.signOut': 'Đăng xuất',
  'nav.users': 'Người dùng',
  'nav.outbox': 'Hộp thư đi',
  'nav.menu': 'Menu',
  'nav.userMenu': 'Tài khoản của bạn',
  'nav.skip': 'Bỏ qua, đến nội dung chính',
  'nav.healthShort': 'Hệ thống',

  'role.label': 'Vai trò',
  'role.switchLabel': 'Vai trò đang dùng',
  'role.switchTo': 'Đổi vai trò',
  'role.customer': 'Khách thuê',
  'role.owner': 'Chủ dự án',
  'role.sales': 'Nhân viên bán hàng',
  'role.operator': 'Nhân viên điều hành',
  'role.admin': 'Quản trị viên',
  'role.expert': 'Chuyên gia',
  'role.switched': 'Đã chuyển sang vai trò {role}.',

  'status.unverified': 'Chưa xác minh',
  'status.active': 'Hoạt động',
  'status.locked': 'Đã khoá',

  'actAs.banner': 'Đang thao tác thay cho {name} ({email})',
  'actAs.stop': 'Dừng thao tác thay',

  'guard.signInNeeded': 'Vui lòng đăng nhập để tiếp tục.',
  'guard.forbidden': 'Vai trò đang dùng ({role}) không có quyền xem trang này.',

  'common.optional': '(không bắt buộc)',
  'common.close': 'Đóng',
  'common.copy': 'Sao chép',
  'common.copied': 'Đã sao chép.',
  'common.showPassword': 'Hiện mật khẩu',
  'common.hidePassword': 'Ẩn mật khẩu',
  'common.refresh': 'Làm mới',
  'common.errorSummary': 'Vui lòng sửa các lỗi bên dưới.',
} as const;

export const en: Record<keyof typeof vi, string> = {
  'nav.signIn': 'Sign in',
  'nav.signUp': 'Sign up',
  'nav.account': 'Account',
  'nav.signOut': 'Sign out',
  'nav.users': 'Users',
  'nav.outbox': 'Mail outbox',
  'nav.menu': 'Menu',
  'nav.userMenu': 'Your account',
  'nav.skip': 'Skip to main content',
  'nav.healthShort': 'Health',

  'role.label': 'Role',
  'role.switchLabel': 'Active role',
  'role.switchTo': 'Change role',
  'role.customer': 'Customer',
  'role.owner': 'Owner',
  'role.sales': 'Sales',
  'role.operator': 'Operator',
  'role.admin': 'Administrator',
  'role.expert': 'Expert',
  'role.switched': 'Switched to the {role} role.',

  'status.unverified': 'Unverified',
  'status.active': 'Active',
  'status.locked': 'Locked',

  'actAs.banner': 'Acting on behalf of {name} ({email})',
  'actAs.stop': 'Stop acting',

  'guard.signInNeeded': 'Please sign in to continue.',
  'guard.forbidden': 'Your active role ({role}) may not see this page.',

  'common.optional': '(optional)',
  'common.close': 'Close',
  'common.copy': 'Copy',
  'common.copied': 'Copied.',
  'common.showPassword': 'Show password',
  'common.hidePassword': 'Hide password',
  'common.refresh': 'Refresh',
  'common.errorSummary': 'Please correct the errors below.',
};
