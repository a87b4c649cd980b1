### Thông điệp tiếng Việt của Sen.
### Tệp này và ../en/main.ftl phải giữ đúng cùng một bộ khóa
### (và cùng các tham số); một kiểm thử trong sen-i18n kiểm tra điều này.
### This file and ../en/main.ftl must keep exactly the same keys.

## Lỗi do API trả về và hiển thị trên giao diện web

error-sign-in-required = Bạn cần đăng nhập (gửi kèm mã truy cập API) để thực hiện thao tác này.
error-internal = Đã xảy ra lỗi không mong muốn trên máy chủ. Lỗi đã được ghi lại.
error-validation = Dữ liệu nhập vào không hợp lệ.
error-duplicate = Tên hoặc giá trị này đã được sử dụng.
error-reference = Đối tượng tham chiếu đến một mục không tồn tại.
error-forbidden = Bạn không có quyền thực hiện thao tác này.
error-not-allowed-action = Bạn không có quyền thực hiện { $action }.
error-not-found = Không tìm thấy { $what }.
error-dataset-not-found = Không tìm thấy bộ dữ liệu.
error-resource-not-found = Không tìm thấy tài nguyên.
error-organization-not-found = Không tìm thấy tổ chức.
error-group-not-found = Không tìm thấy chủ đề.
error-user-not-found = Không tìm thấy người dùng.
error-tag-not-found = Không tìm thấy thẻ.
error-token-not-found = Không tìm thấy mã truy cập API.
error-file-not-found = Không tìm thấy tệp.
error-unknown-action = Thao tác “{ $action }” không tồn tại.
error-bad-json = Nội dung yêu cầu không phải là JSON hợp lệ: { $detail }
error-bad-form = Không đọc được dữ liệu biểu mẫu: { $detail }
error-body-not-object = Nội dung yêu cầu phải là một đối tượng JSON.
error-method-not-allowed = Thao tác này chỉ chấp nhận phương thức POST.
error-too-large = Tệp vượt quá dung lượng tối đa cho phép ({ $limit }).
error-upload-interrupted = Quá trình tải lên bị gián đoạn trước khi hoàn tất.
error-range-not-satisfiable = Khoảng byte được yêu cầu nằm ngoài phạm vi của tệp.
error-search-query = Truy vấn tìm kiếm không hợp lệ: { $detail }

## Lỗi ở một trường của biểu mẫu hoặc đối tượng JSON

field-missing = Thiếu giá trị
field-empty = Không được để trống
field-not-string = Phải là một chuỗi ký tự
field-not-list = Phải là một danh sách
field-not-object = Phải là một đối tượng
field-not-boolean = Phải là true hoặc false
field-not-integer = Phải là một số nguyên
field-integer-range = Phải nằm trong khoảng từ { $min } đến { $max }
field-name-too-short = Phải dài ít nhất { $min } ký tự
field-name-too-long = Không được dài quá { $max } ký tự
field-name-characters = Chỉ được gồm chữ thường không dấu (a–z), chữ số (0–9) và các ký hiệu: -_
field-name-taken = Địa chỉ URL này đã được sử dụng
field-unknown-license = Giấy phép không xác định: “{ $value }”
field-unknown-organization = Tổ chức “{ $value }” không tồn tại
field-unknown-group = Chủ đề “{ $value }” không tồn tại
field-unknown-user = Người dùng “{ $value }” không tồn tại
field-unknown-package = Bộ dữ liệu “{ $value }” không tồn tại
field-bad-choice = “{ $value }” không thuộc các giá trị cho phép: { $choices }
field-bad-date = “{ $value }” không phải là ngày hợp lệ (định dạng YYYY-MM-DD)
field-bad-email = “{ $value }” không phải là địa chỉ thư điện tử hợp lệ
field-bad-url = “{ $value }” không phải là địa chỉ web hợp lệ (http hoặc https)
field-open-not-allowed = Dữ liệu quan trọng và dữ liệu cốt lõi không bao giờ được là dữ liệu mở (Luật Dữ liệu số 60/2024/QH15)
field-private-conflict = Trường “private” phải là true đối với dữ liệu dùng chung hoặc dữ liệu dùng riêng, và là false đối với dữ liệu mở
field-not-member = Bạn không phải là thành viên có quyền xuất bản của tổ chức “{ $value }”
field-tag-length = Thẻ phải dài từ { $min } đến { $max } ký tự
field-tag-characters = Thẻ “{ $value }” chỉ được chứa chữ cái, chữ số, dấu cách và các ký hiệu - _ .
field-password-short = Mật khẩu phải có ít nhất { $min } ký tự
field-url-or-upload = Vui lòng cung cấp một địa chỉ URL hoặc tải lên một tệp
field-parent-cycle = Một tổ chức không thể là cấp trên của chính nó
field-successor-self = Một tổ chức không thể là đơn vị kế thừa của chính nó
field-capacity = Vai trò phải là admin (quản trị), editor (biên tập) hoặc member (thành viên)
field-expires = Thời điểm hết hạn phải là một ngày giờ trong tương lai
error-invalid-token = Mã truy cập API không hợp lệ, đã bị thu hồi hoặc đã hết hạn.
error-rate-limited = Bạn đã gửi quá nhiều yêu cầu thay đổi dữ liệu; vui lòng thử lại sau ít phút.
field-duplicate-extra = Trường bổ sung “{ $value }” trùng tên với một trường có sẵn
field-org-has-datasets = Không thể xóa tổ chức khi vẫn còn { $count } tập dữ liệu
field-unknown-resource = Tài nguyên “{ $value }” không thuộc tập dữ liệu này
error-action-not-found = Không có hành động API này.
