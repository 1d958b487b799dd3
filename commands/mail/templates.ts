import type { MailLocale, MailMessage } from './port.js';

/** Everything of a message but the recipient: `mailer.send({ to, ...verificationMail(…) })`. */
export type RenderedMail = Omit<MailMessage, 'to'> & { html: string };

export const MAIL_CATEGORIES = {
  verification: 'account.verification',
  passwordReset: 'account.password_reset',
  staffInvite: 'staff.invite',
  newDeviceLogin: 'account.new_device_login',
} as const;

const BRAND = 'Phòng Trọ Việt';

type Block = { p: string } | { code: string } | { link: string; label: string };

const common = {
  vi: {
    hello: (name: string) => (name.trim() ? `Xin chào ${name.trim()},` : 'Xin chào,'),
    footer: 'Email này được gửi tự động, vui lòng không trả lời.',
  },
  en: {
    hello: (name: string) => (name.trim() ? `Hello ${name.trim()},` : 'Hello,'),
    footer: 'This message was sent automatically, please do not reply.',
  },
} satisfies Record<MailLocale, unknown>;

/** Email verification after sign-up: a 6-digit code and a link, both valid for 24 hours. */
export function verificationMail(input: {
  name: string;
  code: string;
  link: string;
  locale: MailLocale;
}): RenderedMail {
  const code = sixDigits(input.code);
  const link = webLink(input.link);
  const vi: Block[] = [
    { p: `Cảm ơn bạn đã đăng ký tài khoản ${BRAND}. Mã xác minh của bạn là:` },
    { code },
    { p: 'Hoặc mở liên kết sau để xác minh địa chỉ email:' },
    { link, label: 'Xác minh email' },
    { p: 'Mã và liên kết có hiệu lực trong 24 giờ. Nếu bạn không đăng ký tài khoản, hãy bỏ qua email này.' },
  ];
  const en: Block[] = [
    { p: `Thank you for signing up to ${BRAND}. Your verification code is:` },
    { code },
    { p: 'Or open this link to verify your email address:' },
    { link, label: 'Verify email' },
    { p: 'The code and the link are valid for 24 hours. If you did not sign up, please ignore this email.' },
  ];
  const subject = input.locale === 'vi' ? `Mã xác minh của bạn – ${BRAND}` : `Your verification code – ${BRAND}`;
  return render(MAIL_CATEGORIES.verification, input.locale, input.name, subject, input.locale === 'vi' ? vi : en);
}

/** Forgotten password: a 6-digit one-time code valid for 10 minutes. */
export function passwordResetMail(input: { name: string; code: string; locale: MailLocale }): RenderedMail {
  const code = sixDigits(input.code);
  const vi: Block[] = [
    { p: 'Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản của bạn. Mã OTP của bạn là:' },
    { code },
    { p: 'Mã có hiệu lực trong 10 phút. Đừng chia sẻ mã này với bất kỳ ai, kể cả nhân viên của chúng tôi.' },
    { p: 'Nếu bạn không yêu cầu đặt lại mật khẩu, hãy bỏ qua email này; mật khẩu của bạn vẫn giữ nguyên.' },
  ];
  const en: Block[] = [
    { p: 'We received a request to reset the password of your account. Your one-time code is:' },
    { code },
    { p: 'The code is valid for 10 minutes. Never share it with anyone, not even our staff.' },
    { p: 'If you did not ask for a password reset, please ignore this email; your password stays the same.' },
  ];
  const subject = input.locale === 'vi' ? `Mã đặt lại mật khẩu – ${BRAND}` : `Your password reset code – ${BRAND}`;
  return render(MAIL_CATEGORIES.passwordReset, input.locale, input.name, subject, input.locale === 'vi' ? vi : en);
}

/** A staff account created by an operator: a link to set the password. */
export function staffInviteMail(input: { name: string; link: string; locale: MailLocale }): RenderedMail {
  const link = webLink(input.link);
  const vi: Block[] = [
    {
      p: `Bạn được mời tham gia đội ngũ nhân viên của ${BRAND}. Mở liên kết sau để đặt mật khẩu và kích hoạt tài khoản:`,
    },
    { link, label: 'Đặt mật khẩu' },
    { p: 'Nếu bạn không mong đợi lời mời này, hãy bỏ qua email này.' },
  ];
  const en: Block[] = [
    {
      p: `You have been invited to join the ${BRAND} staff. Open this link to set your password and activate your account:`,
    },
    { link, label: 'Set password' },
    { p: 'If you were not expecting this invitation, please ignore this email.' },
  ];
  const subject = input.locale === 'vi' ? `Lời mời tham gia ${BRAND}` : `Your invitation to ${BRAND}`;
  return render(MAIL_CATEGORIES.staffInvite, input.locale, input.name, subject, input.locale === 'vi' ? vi : en);
}

/** A sign-in from a device the account has not used before; the time is shown in Vietnam time (UTC+7). */
export function newDeviceLoginMail(input: {
  name: string;
  device: string;
  ip: string;
  time: Date;
  locale: MailLocale;
}): RenderedMail {
  const time = vietnamTime(input.time, input.locale);
  const vi: Block[] = [
    { p: 'Tài khoản của bạn vừa được đăng nhập từ một thiết bị mới.' },
    { p: `Thiết bị: ${input.device}` },
    { p: `Địa chỉ IP: ${input.ip}` },
    { p: `Thời gian: ${time}` },
    { p: 'Nếu đó là bạn, bạn không cần làm gì thêm.' },
    { p: 'Nếu không phải bạn, hãy đổi mật khẩu ngay và đăng xuất các phiên khác trong mục Phiên đăng nhập.' },
  ];
  const en: Block[] = [
    { p: 'Your account was just signed in from a new device.' },
    { p: `Device: ${input.device}` },
    { p: `IP address: ${input.ip}` },
    { p: `Time: ${time}` },
    { p: 'If this was you, there is nothing to do.' },
    { p: 'If it was not you, change your password right away and sign out the other sessions under Sessions.' },
  ];
  const subject =
    input.locale === 'vi' ? `Đăng nhập từ thiết bị mới – ${BRAND}` : `New sign-in to your account – ${BRAND}`;
  return render(MAIL_CATEGORIES.newDeviceLogin, input.locale, input.name, subject, input.locale === 'vi' ? vi : en);
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function render(category: string, locale: MailLocale, name: string, subject: string, blocks: Block[]): RenderedMail {
  const hello = common[locale].hello(name);
  const footer = common[locale].footer;
  const text = [hello, ...blocks.map(blockText), `— ${BRAND}`, footer].join('\n\n');
  const body = [`<p>${escapeHtml(hello)}</p>`, ...blocks.map(blockHtml), `<p>— ${escapeHtml(BRAND)}</p>`];
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1f2937;max-width:560px">
${body.join('\n')}
<p style="color:#6b7280;font-size:12px">${escapeHtml(footer)}</p>
</body>
</html>
`;
  return { subject, text, html, category, locale };
}

function blockText(block: Block): string {
  if ('p' in block) return block.p;
  if ('code' in block) return `    ${block.code}`;
  return `${block.label}: ${block.link}`;
}

function blockHtml(block: Block): string {
  if ('p' in block) return `<p>${escapeHtml(block.p)}</p>`;
  if ('code' in block) {
    return `<p style="font-size:28px;font-weight:bold;letter-spacing:6px">${escapeHtml(block.code)}</p>`;
  }
  const href = escapeHtml(block.link);
  return `<p><a href="${href}">${escapeHtml(block.label)}</a><br><span style="font-size:12px">${href}</span></p>`;
}

function sixDigits(code: string): string {
  if (!/^\d{6}$/.test(code)) throw new RangeError('mail code must be exactly 6 digits');
  return code;
}

function webLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new RangeError('mail link must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError('mail link must be http(s)');
  return url.toString();
}

function vietnamTime(time: Date, locale: MailLocale): string {
  if (Number.isNaN(time.getTime())) throw new RangeError('mail time is not a valid date');
  const format = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Ho_Chi_Minh',
  });
  return `${format.format(time)} (GMT+7)`;
}
