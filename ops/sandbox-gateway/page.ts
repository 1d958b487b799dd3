/** HTML of the sandbox gateway: the payment page (two plain forms) and an error page. */

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const vnd = (amount: number) => `${new Intl.NumberFormat('vi-VN').format(amount)} ₫`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · VNPay sandbox</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f3f5f9; margin: 0; padding: 2rem 1rem; color: #1d2433; }
  main { max-width: 28rem; margin: 0 auto; background: #fff; border-radius: 12px; padding: 1.5rem;
         box-shadow: 0 2px 12px rgb(0 0 0 / 8%); }
  h1 { font-size: 1.2rem; margin: 0 0 1rem; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .4rem 1rem; margin: 0 0 1.5rem; }
  dt { color: #5b6475; } dd { margin: 0; font-weight: 600; word-break: break-all; }
  .amount { font-size: 1.4rem; color: #005baa; }
  .actions { display: flex; gap: .75rem; } form { flex: 1; }
  button { width: 100%; padding: .75rem; border: 0; border-radius: 8px; font-size: 1rem; cursor: pointer; }
  #sandbox-pay { background: #005baa; color: #fff; } #sandbox-fail { background: #e8ebf1; color: #1d2433; }
  .note { color: #5b6475; font-size: .85rem; margin-top: 1rem; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export interface PaymentPageData {
  txnRef: string;
  amountVnd: number;
  orderInfo: string;
  merchant: string;
  expiresAt: string | null;
}

export function paymentPage(data: PaymentPageData): string {
  const choice = (outcome: 'paid' | 'failed', id: string, label: string) => `
    <form method="post" action="/paymentv2/sandbox/complete">
      <input type="hidden" name="vnp_TxnRef" value="${escapeHtml(data.txnRef)}">
      <input type="hidden" name="outcome" value="${outcome}">
      <button type="submit" id="${id}">${label}</button>
    </form>`;
  return layout(
    'Thanh toán',
    `<h1>Cổng thanh toán VNPay (sandbox)</h1>
  <dl>
    <dt>Số tiền</dt><dd class="amount" id="sandbox-amount">${vnd(data.amountVnd)}</dd>
    <dt>Nội dung</dt><dd id="sandbox-order-info">${escapeHtml(data.orderInfo)}</dd>
    <dt>Mã giao dịch</dt><dd id="sandbox-txn-ref">${escapeHtml(data.txnRef)}</dd>
    <dt>Đơn vị</dt><dd>${escapeHtml(data.merchant)}</dd>
    ${data.expiresAt ? `<dt>Hết hạn</dt><dd>${escapeHtml(data.expiresAt)}</dd>` : ''}
  </dl>
  <div class="actions">
    ${choice('paid', 'sandbox-pay', 'Thanh toán')}
    ${choice('failed', 'sandbox-fail', 'Hủy / Thất bại')}
  </div>
  <p class="note">Môi trường thử nghiệm: không có tiền thật được chuyển.</p>`,
  );
}

export function errorPage(title: string, detail: string): string {
  return layout(title, `<h1 id="sandbox-error">${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>`);
}
