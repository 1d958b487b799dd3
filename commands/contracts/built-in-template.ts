/**
 * The platform's built-in rental contract (Vietnamese, Markdown, every placeholder of
 * domain/contracts/placeholders.ts). Seeded as the platform default; admins revise it or make
 * another template the default (UC-ADMIN-06).
 */
export const BUILT_IN_CONTRACT_TEMPLATE_NAME = 'Hợp đồng thuê phòng (mẫu của nền tảng)';

export const BUILT_IN_CONTRACT_TEMPLATE_BODY = `# HỢP ĐỒNG THUÊ PHÒNG

**Số hợp đồng:** {{MaHopDong}}

**Ngày lập:** {{NgayLap}}

Căn cứ Bộ luật Dân sự năm 2015 và nhu cầu của hai bên, hôm nay các bên gồm:

## BÊN CHO THUÊ (BÊN A)

- Họ và tên: **{{TenChuNha}}**
- Số điện thoại: {{SoDienThoaiChuNha}}
- Là chủ dự án: {{TenDuAn}}

## BÊN THUÊ (BÊN B)

- Họ và tên: **{{TenKhachHang}}**
- Số điện thoại: {{SoDienThoaiKhachHang}}
- Email: {{EmailKhachHang}}

Hai bên thống nhất ký hợp đồng thuê phòng với các điều khoản sau:

## Điều 1. Phòng cho thuê

- Phòng: **{{TenPhong}}**, thuộc dự án {{TenDuAn}}
- Địa chỉ: {{DiaChi}}
- Diện tích sử dụng: {{DienTich}}

## Điều 2. Thời hạn thuê

- Thời hạn thuê: {{ThoiHanThang}} tháng, từ ngày **{{NgayBatDau}}** đến hết ngày **{{NgayKetThuc}}**.
- Hết thời hạn, hai bên có thể gia hạn bằng một hợp đồng mới.

## Điều 3. Giá thuê và phương thức thanh toán

- Giá thuê: **{{GiaThue}}** mỗi tháng (chưa gồm điện, nước và dịch vụ tính theo thực tế sử dụng).
- Bên B thanh toán tiền thuê hằng tháng trong 05 ngày đầu của mỗi kỳ thuê.
- Tiền điện, nước tính theo chỉ số công tơ ghi trong biên bản bàn giao và các kỳ ghi chỉ số sau đó.

## Điều 4. Tiền đặt cọc

- Bên B đã đặt cọc **{{TienCoc}}** qua nền tảng; khoản cọc được giữ tại nền tảng cho đến khi bàn giao phòng.
- Khoản cọc được giải tỏa theo chính sách cọc của tin đăng: hoàn lại cho Bên B hoặc cấn trừ vào tiền thuê, sau khi các bên ký biên bản bàn giao.
- Khi trả phòng, các khoản khấu trừ (nếu có) phải ghi rõ lý do và số tiền trong biên bản bàn giao trả phòng.

## Điều 5. Quyền và nghĩa vụ của Bên A

1. Bàn giao phòng và tài sản đúng hiện trạng ghi trong biên bản bàn giao.
2. Bảo đảm quyền sử dụng phòng ổn định của Bên B trong thời hạn thuê.
3. Sửa chữa những hư hỏng không do lỗi của Bên B.

## Điều 6. Quyền và nghĩa vụ của Bên B

1. Thanh toán tiền thuê và chi phí sử dụng đúng hạn.
2. Giữ gìn phòng và tài sản; bồi thường hư hỏng do lỗi của mình.
3. Không cho thuê lại, không sửa chữa cải tạo khi chưa có đồng ý bằng văn bản của Bên A.
4. Tuân thủ nội quy của dự án và quy định về an ninh, phòng cháy chữa cháy.

## Điều 7. Chấm dứt hợp đồng

- Hợp đồng chấm dứt khi hết thời hạn mà không gia hạn, hoặc khi hai bên thỏa thuận chấm dứt.
- Bên muốn chấm dứt trước hạn phải báo cho bên kia ít nhất 30 ngày; việc hoàn cọc theo chính sách cọc đã thỏa thuận.

## Điều 8. Điều khoản bổ sung

{{DieuKhoan}}

## Điều 9. Cam kết chung

Hai bên cam kết thực hiện đúng các điều khoản của hợp đồng. Hợp đồng được ký điện tử bằng mã OTP; mỗi chữ ký ghi nhận người ký, thời điểm, địa chỉ IP và mã băm SHA-256 của văn bản đã ký, có giá trị như bản ký tay.
`;
