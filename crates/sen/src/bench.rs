//! `sen bench search`: search speed at scale, measured the same way on Sen and
//! on a PostgreSQL full-text-search reference, in one run anyone can repeat.
//!
//! The run generates realistic Vietnamese datasets (deterministic: the same
//! count gives the same catalogue), writes them into a fresh SQLite catalogue in
//! a temporary directory, rebuilds the search index (timed), serves the portal
//! as a separate process and drives `package_search` over keep-alive HTTP/1.1
//! connections. With a PostgreSQL URL it then loads the same datasets into one
//! table with a `tsvector` column and a GIN index and answers the same queries
//! there (results, count, three facets), with the same concurrency.

use crate::config::Config;
use anyhow::Context;
use clap::{Args, Subcommand};
use sen_catalog::{Actor, Catalog, Dict};
use sen_db::bench_reference::{PgReference, ReferenceFilter, ReferenceQuery, ReferenceRow};
use sen_db::{BulkPackage, PackageRow, ResourceRow};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Subcommand)]
pub enum BenchKind {
    /// Search at scale: generate datasets, rebuild the index, serve the portal
    /// and measure package_search (p50, p99, requests/s, server memory), beside
    /// a PostgreSQL full-text-search reference when --postgres is given.
    Search(SearchArgs),
    /// The datastore: a generated CSV (1M rows by default) uploaded, ingested
    /// and queried (filter + sort, GROUP BY), beside PostgreSQL COPY into an
    /// all-text table (CKAN XLoader's way) when --postgres is given.
    Datastore(crate::bench_datastore::DatastoreArgs),
}

#[derive(Args)]
pub struct SearchArgs {
    /// How many datasets to generate.
    #[arg(long, default_value_t = 100_000)]
    pub datasets: usize,
    /// How many search requests to send (each side), after a warm-up.
    #[arg(long, default_value_t = 5_000)]
    pub requests: usize,
    /// Requests in flight at once (one keep-alive connection each).
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// PostgreSQL URL for the full-text-search reference; its user must be
    /// allowed to CREATE DATABASE. Without it the reference is skipped.
    #[arg(
        long,
        value_name = "URL",
        env = "SEN_BENCH_POSTGRES",
        hide_env_values = true
    )]
    pub postgres: Option<String>,
}

// The targets of the issue "Search … in milliseconds at 100,000 datasets" (2 cores).
const TARGET_P50_MS: f64 = 5.0;
const TARGET_P99_MS: f64 = 30.0;
const TARGET_RPS: f64 = 1000.0;
const TARGET_REBUILD_S: f64 = 60.0;
const TARGET_MEMORY_MB: f64 = 300.0;
// The web issue: pages "in a few milliseconds", a first visit under 150 KB.
const TARGET_PAGE_P50_MS: f64 = 10.0;
const TARGET_FIRST_LOAD_KB: f64 = 150.0;

/// A load phase stops after this long whatever the request count.
pub(crate) const LOAD_TIME_LIMIT: Duration = Duration::from_secs(120);
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const WARM_UP_ROUNDS: usize = 3;
const ROWS: i64 = 20;
const FACETS: [&str; 3] = ["organization", "tags", "res_format"];
const SEARCH_PATH: &str = "/api/3/action/package_search";
/// Datasets written per transaction.
const WRITE_BATCH: usize = 2_000;

// ---------------------------------------------------------------------------
// Queries

struct BenchQuery {
    q: &'static str,
    /// (field, value): `organization`, `tags` or `res_format`.
    filters: [(&'static str, &'static str); 2],
}

/// What people type into a national portal's search box, with and without
/// accents, each narrowed by two filters as the facet links do.
const QUERIES: &[BenchQuery] = &[
    BenchQuery {
        q: "dân số",
        filters: [("organization", "tong-cuc-thong-ke"), ("res_format", "CSV")],
    },
    BenchQuery {
        q: "dan so",
        filters: [("tags", "dân số"), ("res_format", "XLSX")],
    },
    BenchQuery {
        q: "giáo dục hà nội",
        filters: [("organization", "ubnd-ha-noi"), ("res_format", "PDF")],
    },
    BenchQuery {
        q: "chỉ số giá",
        filters: [("tags", "CPI"), ("res_format", "CSV")],
    },
    BenchQuery {
        q: "ngân sách",
        filters: [("organization", "bo-tai-chinh"), ("res_format", "XLSX")],
    },
    BenchQuery {
        q: "doanh nghiệp",
        filters: [("tags", "doanh nghiệp"), ("res_format", "JSON")],
    },
    BenchQuery {
        q: "tai nan giao thong",
        filters: [
            ("organization", "bo-giao-thong-van-tai"),
            ("res_format", "CSV"),
        ],
    },
    BenchQuery {
        q: "chất lượng không khí",
        filters: [("tags", "môi trường"), ("res_format", "API")],
    },
    BenchQuery {
        q: "hộ nghèo nghệ an",
        filters: [("tags", "hộ nghèo"), ("res_format", "PDF")],
    },
    BenchQuery {
        q: "khach du lich",
        filters: [
            ("organization", "bo-van-hoa-the-thao-du-lich"),
            ("res_format", "XLSX"),
        ],
    },
];

impl BenchQuery {
    fn fq(&self) -> String {
        self.filters
            .iter()
            .map(|(f, v)| {
                if v.contains(' ') {
                    format!("{f}:\"{v}\"")
                } else {
                    format!("{f}:{v}")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sen_body(&self) -> Vec<u8> {
        json!({"q": self.q, "fq": self.fq(), "facet.field": FACETS, "rows": ROWS})
            .to_string()
            .into_bytes()
    }

    fn reference(&self) -> ReferenceQuery {
        ReferenceQuery {
            text: self.q.to_string(),
            filters: self
                .filters
                .iter()
                .map(|(f, v)| match *f {
                    "organization" => ReferenceFilter::Organization(v.to_string()),
                    "tags" => ReferenceFilter::Tag(v.to_string()),
                    _ => ReferenceFilter::Format(v.to_string()),
                })
                .collect(),
            rows: ROWS,
        }
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

/// The 63 provinces and centrally governed cities (before the 2025 mergers);
/// `true` for the five cities.
pub(crate) const PROVINCES: &[(&str, bool)] = &[
    ("Hà Nội", true),
    ("Hồ Chí Minh", true),
    ("Hải Phòng", true),
    ("Đà Nẵng", true),
    ("Cần Thơ", true),
    ("An Giang", false),
    ("Bà Rịa – Vũng Tàu", false),
    ("Bắc Giang", false),
    ("Bắc Kạn", false),
    ("Bạc Liêu", false),
    ("Bắc Ninh", false),
    ("Bến Tre", false),
    ("Bình Định", false),
    ("Bình Dương", false),
    ("Bình Phước", false),
    ("Bình Thuận", false),
    ("Cà Mau", false),
    ("Cao Bằng", false),
    ("Đắk Lắk", false),
    ("Đắk Nông", false),
    ("Điện Biên", false),
    ("Đồng Nai", false),
    ("Đồng Tháp", false),
    ("Gia Lai", false),
    ("Hà Giang", false),
    ("Hà Nam", false),
    ("Hà Tĩnh", false),
    ("Hải Dương", false),
    ("Hậu Giang", false),
    ("Hòa Bình", false),
    ("Hưng Yên", false),
    ("Khánh Hòa", false),
    ("Kiên Giang", false),
    ("Kon Tum", false),
    ("Lai Châu", false),
    ("Lâm Đồng", false),
    ("Lạng Sơn", false),
    ("Lào Cai", false),
    ("Long An", false),
    ("Nam Định", false),
    ("Nghệ An", false),
    ("Ninh Bình", false),
    ("Ninh Thuận", false),
    ("Phú Thọ", false),
    ("Phú Yên", false),
    ("Quảng Bình", false),
    ("Quảng Nam", false),
    ("Quảng Ngãi", false),
    ("Quảng Ninh", false),
    ("Quảng Trị", false),
    ("Sóc Trăng", false),
    ("Sơn La", false),
    ("Tây Ninh", false),
    ("Thái Bình", false),
    ("Thái Nguyên", false),
    ("Thanh Hóa", false),
    ("Thừa Thiên Huế", false),
    ("Tiền Giang", false),
    ("Trà Vinh", false),
    ("Tuyên Quang", false),
    ("Vĩnh Long", false),
    ("Vĩnh Phúc", false),
    ("Yên Bái", false),
];

/// Provinces that publish under their own People's Committee.
const PUBLISHING_PROVINCES: &[&str] = &[
    "Hà Nội",
    "Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "Nghệ An",
    "Thanh Hóa",
    "Quảng Ninh",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đồng Nai",
    "Bình Dương",
    "An Giang",
    "Đắk Lắk",
    "Thừa Thiên Huế",
    "Lào Cai",
];

/// Ministries and national agencies: (name, title, kind).
const MINISTRIES: &[(&str, &str, &str)] = &[
    ("tong-cuc-thong-ke", "Tổng cục Thống kê", "agency"),
    (
        "bo-lao-dong-thuong-binh-xa-hoi",
        "Bộ Lao động – Thương binh và Xã hội",
        "ministry",
    ),
    ("bo-giao-duc-dao-tao", "Bộ Giáo dục và Đào tạo", "ministry"),
    ("bo-y-te", "Bộ Y tế", "ministry"),
    ("bo-cong-thuong", "Bộ Công Thương", "ministry"),
    ("bo-tai-chinh", "Bộ Tài chính", "ministry"),
    ("bo-ke-hoach-dau-tu", "Bộ Kế hoạch và Đầu tư", "ministry"),
    (
        "bo-nong-nghiep-phat-trien-nong-thon",
        "Bộ Nông nghiệp và Phát triển nông thôn",
        "ministry",
    ),
    (
        "bo-tai-nguyen-moi-truong",
        "Bộ Tài nguyên và Môi trường",
        "ministry",
    ),
    ("bo-giao-thong-van-tai", "Bộ Giao thông vận tải", "ministry"),
    ("bo-xay-dung", "Bộ Xây dựng", "ministry"),
    (
        "bo-van-hoa-the-thao-du-lich",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "ministry",
    ),
    (
        "bo-khoa-hoc-cong-nghe",
        "Bộ Khoa học và Công nghệ",
        "ministry",
    ),
    (
        "bo-thong-tin-truyen-thong",
        "Bộ Thông tin và Truyền thông",
        "ministry",
    ),
    ("bo-noi-vu", "Bộ Nội vụ", "ministry"),
    ("bo-tu-phap", "Bộ Tư pháp", "ministry"),
    ("van-phong-chinh-phu", "Văn phòng Chính phủ", "agency"),
    (
        "ngan-hang-nha-nuoc",
        "Ngân hàng Nhà nước Việt Nam",
        "agency",
    ),
];

struct Template {
    /// `{p}` the place ("tỉnh Nghệ An", "Thành phố Hà Nội", "cả nước"), `{n}` its
    /// bare name, `{y}` a year, `{y1}` the next, `{y4}` four later, `{m}` a month, `{q}` a quarter.
    title: &'static str,
    tags: &'static [&'static str],
    unit: &'static str,
}

struct Topic {
    name: &'static str,
    title: &'static str,
    /// Every dataset of the topic carries this tag.
    tag: &'static str,
    /// Ministries publishing on the topic.
    orgs: &'static [&'static str],
    templates: &'static [Template],
}

const fn t(title: &'static str, tags: &'static [&'static str], unit: &'static str) -> Template {
    Template { title, tags, unit }
}

const TOPICS: &[Topic] = &[
    Topic {
        name: "dan-so-lao-dong",
        title: "Dân số và lao động",
        tag: "dân số",
        orgs: &["tong-cuc-thong-ke", "bo-lao-dong-thuong-binh-xa-hoi"],
        templates: &[
            t(
                "Dân số trung bình {p} năm {y}",
                &["thống kê dân số"],
                "nghìn người",
            ),
            t(
                "Tỷ số giới tính khi sinh {p} năm {y}",
                &["giới tính"],
                "bé trai/100 bé gái",
            ),
            t(
                "Lực lượng lao động từ 15 tuổi trở lên {p} năm {y}",
                &["lao động", "việc làm"],
                "nghìn người",
            ),
            t(
                "Tỷ lệ thất nghiệp {p} quý {q}/{y}",
                &["lao động", "thất nghiệp"],
                "%",
            ),
            t(
                "Tỷ lệ hộ nghèo {p} giai đoạn {y}–{y4}",
                &["hộ nghèo", "an sinh xã hội"],
                "%",
            ),
        ],
    },
    Topic {
        name: "giao-duc-dao-tao",
        title: "Giáo dục và đào tạo",
        tag: "giáo dục",
        orgs: &["bo-giao-duc-dao-tao"],
        templates: &[
            t(
                "Danh sách trường THPT {p}",
                &["trường học", "THPT"],
                "trường",
            ),
            t(
                "Số học sinh phổ thông {p} năm học {y}–{y1}",
                &["học sinh"],
                "học sinh",
            ),
            t(
                "Kết quả thi tốt nghiệp THPT {p} năm {y}",
                &["THPT", "thi tốt nghiệp"],
                "thí sinh",
            ),
            t(
                "Số giáo viên mầm non {p} năm {y}",
                &["giáo viên", "mầm non"],
                "người",
            ),
        ],
    },
    Topic {
        name: "y-te",
        title: "Y tế",
        tag: "y tế",
        orgs: &["bo-y-te"],
        templates: &[
            t(
                "Danh mục cơ sở khám, chữa bệnh {p}",
                &["bệnh viện", "cơ sở y tế"],
                "cơ sở",
            ),
            t("Số giường bệnh {p} năm {y}", &["bệnh viện"], "giường"),
            t(
                "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ {p} năm {y}",
                &["tiêm chủng", "trẻ em"],
                "%",
            ),
            t(
                "Số ca mắc sốt xuất huyết {p} tháng {m}/{y}",
                &["dịch bệnh", "sốt xuất huyết"],
                "ca",
            ),
        ],
    },
    Topic {
        name: "gia-ca-thuong-mai",
        title: "Giá cả và thương mại",
        tag: "giá cả",
        orgs: &["tong-cuc-thong-ke", "bo-cong-thuong"],
        templates: &[
            t(
                "Chỉ số giá tiêu dùng (CPI) tháng {m}/{y} – {n}",
                &["CPI", "lạm phát"],
                "%",
            ),
            t(
                "Giá bán lẻ xăng dầu tại {n} tháng {m}/{y}",
                &["xăng dầu"],
                "đồng/lít",
            ),
            t(
                "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng {p} năm {y}",
                &["thương mại", "bán lẻ"],
                "tỷ đồng",
            ),
            t(
                "Kim ngạch xuất khẩu {p} năm {y}",
                &["xuất khẩu", "thương mại"],
                "triệu USD",
            ),
        ],
    },
    Topic {
        name: "tai-chinh-ngan-sach",
        title: "Tài chính – ngân sách",
        tag: "ngân sách",
        orgs: &["bo-tai-chinh", "ngan-hang-nha-nuoc"],
        templates: &[
            t(
                "Thu, chi ngân sách nhà nước {p} năm {y}",
                &["thu ngân sách", "chi ngân sách"],
                "tỷ đồng",
            ),
            t(
                "Dự toán ngân sách địa phương {p} năm {y}",
                &["dự toán"],
                "triệu đồng",
            ),
            t(
                "Quyết toán ngân sách {p} năm {y}",
                &["quyết toán"],
                "triệu đồng",
            ),
            t("Vốn đầu tư công {p} năm {y}", &["đầu tư công"], "tỷ đồng"),
        ],
    },
    Topic {
        name: "doanh-nghiep-dau-tu",
        title: "Doanh nghiệp và đầu tư",
        tag: "doanh nghiệp",
        orgs: &["bo-ke-hoach-dau-tu", "tong-cuc-thong-ke"],
        templates: &[
            t(
                "Số doanh nghiệp đang hoạt động {p} năm {y}",
                &["đăng ký kinh doanh"],
                "doanh nghiệp",
            ),
            t(
                "Danh sách doanh nghiệp thành lập mới {p} tháng {m}/{y}",
                &["đăng ký kinh doanh"],
                "doanh nghiệp",
            ),
            t(
                "Dự án đầu tư trực tiếp nước ngoài (FDI) {p} năm {y}",
                &["FDI", "đầu tư"],
                "triệu USD",
            ),
            t(
                "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) {n} năm {y}",
                &["PCI"],
                "điểm",
            ),
        ],
    },
    Topic {
        name: "nong-nghiep",
        title: "Nông nghiệp, lâm nghiệp và thủy sản",
        tag: "nông nghiệp",
        orgs: &["bo-nong-nghiep-phat-trien-nong-thon"],
        templates: &[
            t(
                "Diện tích, năng suất, sản lượng lúa {p} vụ Đông Xuân {y}",
                &["lúa gạo", "trồng trọt"],
                "ha; tạ/ha; tấn",
            ),
            t("Sản lượng thủy sản {p} năm {y}", &["thủy sản"], "tấn"),
            t(
                "Diện tích rừng trồng mới {p} năm {y}",
                &["lâm nghiệp", "rừng"],
                "ha",
            ),
            t(
                "Số lượng gia súc, gia cầm {p} năm {y}",
                &["chăn nuôi"],
                "con",
            ),
        ],
    },
    Topic {
        name: "moi-truong",
        title: "Tài nguyên và môi trường",
        tag: "môi trường",
        orgs: &["bo-tai-nguyen-moi-truong"],
        templates: &[
            t(
                "Chất lượng không khí (AQI) {n} tháng {m}/{y}",
                &["không khí", "AQI"],
                "AQI",
            ),
            t(
                "Quan trắc chất lượng nước mặt {p} năm {y}",
                &["quan trắc", "nước"],
                "mg/l",
            ),
            t(
                "Lượng mưa trung bình các trạm khí tượng {p} năm {y}",
                &["khí tượng"],
                "mm",
            ),
            t(
                "Khối lượng chất thải rắn sinh hoạt {p} năm {y}",
                &["chất thải"],
                "tấn/ngày",
            ),
        ],
    },
    Topic {
        name: "giao-thong-van-tai",
        title: "Giao thông vận tải",
        tag: "giao thông",
        orgs: &["bo-giao-thong-van-tai", "bo-xay-dung"],
        templates: &[
            t(
                "Tai nạn giao thông trên địa bàn {p} năm {y}",
                &["tai nạn giao thông", "an toàn giao thông"],
                "vụ",
            ),
            t(
                "Số phương tiện đăng ký mới {p} năm {y}",
                &["phương tiện"],
                "xe",
            ),
            t(
                "Danh mục tuyến xe buýt {p}",
                &["xe buýt", "vận tải hành khách"],
                "tuyến",
            ),
            t(
                "Khối lượng hàng hóa vận chuyển {p} năm {y}",
                &["vận tải hàng hóa"],
                "nghìn tấn",
            ),
        ],
    },
    Topic {
        name: "van-hoa-du-lich",
        title: "Văn hóa, thể thao và du lịch",
        tag: "du lịch",
        orgs: &["bo-van-hoa-the-thao-du-lich"],
        templates: &[
            t(
                "Lượng khách du lịch đến {p} năm {y}",
                &["khách du lịch"],
                "lượt khách",
            ),
            t(
                "Danh sách di tích lịch sử – văn hóa {p}",
                &["di tích", "văn hóa"],
                "di tích",
            ),
            t(
                "Doanh thu du lịch lữ hành {p} năm {y}",
                &["lữ hành"],
                "tỷ đồng",
            ),
            t(
                "Danh sách cơ sở lưu trú du lịch {p}",
                &["khách sạn", "lưu trú"],
                "cơ sở",
            ),
        ],
    },
    Topic {
        name: "khoa-hoc-cong-nghe",
        title: "Khoa học và công nghệ",
        tag: "khoa học công nghệ",
        orgs: &["bo-khoa-hoc-cong-nghe", "bo-thong-tin-truyen-thong"],
        templates: &[
            t(
                "Số đề tài khoa học cấp tỉnh {p} năm {y}",
                &["nghiên cứu"],
                "đề tài",
            ),
            t(
                "Danh sách doanh nghiệp khoa học và công nghệ {p}",
                &["doanh nghiệp khoa học"],
                "doanh nghiệp",
            ),
            t(
                "Số đơn đăng ký sáng chế {p} năm {y}",
                &["sở hữu trí tuệ", "sáng chế"],
                "đơn",
            ),
            t(
                "Chỉ số chuyển đổi số {n} năm {y}",
                &["chuyển đổi số"],
                "điểm",
            ),
        ],
    },
    Topic {
        name: "hanh-chinh-cong",
        title: "Hành chính công",
        tag: "hành chính",
        orgs: &["bo-noi-vu", "van-phong-chinh-phu", "bo-tu-phap"],
        templates: &[
            t(
                "Danh mục thủ tục hành chính {p}",
                &["thủ tục hành chính"],
                "thủ tục",
            ),
            t(
                "Số hồ sơ dịch vụ công trực tuyến {p} tháng {m}/{y}",
                &["dịch vụ công"],
                "hồ sơ",
            ),
            t(
                "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) {n} năm {y}",
                &["SIPAS"],
                "%",
            ),
            t(
                "Danh sách đơn vị hành chính cấp xã {p}",
                &["đơn vị hành chính"],
                "đơn vị",
            ),
            t("Biên chế công chức {p} năm {y}", &["công chức"], "người"),
        ],
    },
];

/// (format, weight, resource name, mimetype, extension)
const FORMATS: &[(&str, u32, &str, &str, &str)] = &[
    ("CSV", 35, "Bảng số liệu (CSV)", "text/csv", "csv"),
    (
        "XLSX",
        30,
        "Bảng số liệu (Excel)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    ("PDF", 15, "Báo cáo (PDF)", "application/pdf", "pdf"),
    ("JSON", 12, "Dữ liệu JSON", "application/json", "json"),
    ("API", 8, "API truy vấn dữ liệu", "", ""),
];

const LICENSES: &[(&str, u32)] = &[
    ("cc-by-4.0", 60),
    ("odc-by", 15),
    ("other-open", 15),
    ("cc-zero", 10),
];

// ---------------------------------------------------------------------------
// Deterministic generation

/// xorshift64*, seeded through splitmix64: small, fast and the same everywhere.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self((z ^ (z >> 31)) | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn weighted<T>(&mut self, items: &[T], weight: impl Fn(&T) -> u32) -> usize {
        let total: u32 = items.iter().map(&weight).sum();
        let mut r = self.below(total as usize) as u32;
        for (i, item) in items.iter().enumerate() {
            let w = weight(item);
            if r < w {
                return i;
            }
            r -= w;
        }
        items.len() - 1
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

const SEED: u64 = 0x5E4_2025;

/// Organisations and topics as created in the catalogue.
struct Vocab {
    /// name, title, id
    orgs: Vec<(String, String, String)>,
    org_by_name: HashMap<String, usize>,
    /// Province index → its People's Committee (index into `orgs`).
    province_org: HashMap<usize, usize>,
    topic_ids: Vec<String>,
    creator_id: String,
}

struct Generated {
    package: BulkPackage,
    reference: ReferenceRow,
}

fn province_phrase(i: usize) -> String {
    let (name, city) = PROVINCES[i];
    if city {
        format!("Thành phố {name}")
    } else {
        format!("tỉnh {name}")
    }
}

fn timestamp(d: chrono::NaiveDateTime) -> String {
    sen_domain::time::format(d.and_utc())
}

/// Dataset number `i`: always the same for the same `i`.
fn generate(i: usize, v: &Vocab) -> Generated {
    use chrono::{Duration as Days, NaiveDate};
    let mut rng = Rng::new(SEED ^ (i as u64).wrapping_mul(0x9E37_79B9));
    let topic_index = rng.below(TOPICS.len());
    let topic = &TOPICS[topic_index];
    let template = rng.pick(topic.templates);

    // Where: a tenth national, Hà Nội and Hồ Chí Minh City above their share.
    let place = match rng.below(100) {
        0..=9 => None,
        10..=21 => Some(0),
        22..=29 => Some(1),
        _ => Some(rng.below(PROVINCES.len())),
    };
    let (p, n) = match place {
        None => ("cả nước".to_string(), "cả nước".to_string()),
        Some(pi) => (province_phrase(pi), PROVINCES[pi].0.to_string()),
    };

    // When
    let plan = template.title.contains("{y4}");
    let y: i32 = if plan {
        *rng.pick(&[2011, 2016, 2021])
    } else {
        rng.range(2014, 2024) as i32
    };
    let m = rng.range(1, 12) as u32;
    let q = rng.range(1, 4) as u32;
    let title = template
        .title
        .replace("{p}", &p)
        .replace("{n}", &n)
        .replace("{y1}", &(y + 1).to_string())
        .replace("{y4}", &(y + 4).to_string())
        .replace("{y}", &y.to_string())
        .replace("{m}", &m.to_string())
        .replace("{q}", &q.to_string());
    let dated = template.title.contains("{y}");
    let (frequency, frequency_vi, temporal_start, temporal_end) = if template.title.contains("{m}")
    {
        (
            "monthly",
            "hằng tháng",
            format!("{y}-{m:02}-01"),
            format!("{y}-{m:02}-28"),
        )
    } else if template.title.contains("{q}") {
        (
            "quarterly",
            "hằng quý",
            format!("{y}-{:02}-01", q * 3 - 2),
            format!(
                "{y}-{:02}-{}",
                q * 3,
                if q == 1 || q == 4 { 31 } else { 30 }
            ),
        )
    } else if plan {
        (
            "irregular",
            "theo giai đoạn 5 năm",
            format!("{y}-01-01"),
            format!("{}-12-31", y + 4),
        )
    } else if template.title.contains("{y1}") {
        (
            "annual",
            "hằng năm",
            format!("{y}-09-01"),
            format!("{}-05-31", y + 1),
        )
    } else if dated {
        (
            "annual",
            "hằng năm",
            format!("{y}-01-01"),
            format!("{y}-12-31"),
        )
    } else {
        ("irregular", "khi có thay đổi", String::new(), String::new())
    };

    // Who publishes
    let org_index = match place.and_then(|pi| v.province_org.get(&pi)) {
        Some(&o) if rng.chance(0.55) => o,
        _ => {
            let name = rng.pick(topic.orgs);
            v.org_by_name.get(*name).copied().unwrap_or(0)
        }
    };
    let (org_name, org_title, org_id) = &v.orgs[org_index];

    // Dates 2015–2025: published the year after the data, modified later.
    let created_year = if dated {
        (y + if plan { 5 } else { 1 }).clamp(2015, 2025)
    } else {
        rng.range(2015, 2025) as i32
    };
    let created = NaiveDate::from_ymd_opt(
        created_year,
        rng.range(1, 12) as u32,
        rng.range(1, 28) as u32,
    )
    .and_then(|d| {
        d.and_hms_opt(
            rng.range(0, 23) as u32,
            rng.range(0, 59) as u32,
            rng.range(0, 59) as u32,
        )
    })
    .unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(2025, 12, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .unwrap_or_default();
    let modified = (created + Days::days(rng.range(0, 400))).min(last);
    let (created, modified) = (timestamp(created), timestamp(modified));

    // Tags: the topic's, some of the template's, the place, sometimes the year.
    let mut tags = vec![topic.tag.to_string()];
    for tag in template.tags {
        if rng.chance(0.7) {
            tags.push(tag.to_string());
        }
    }
    match place {
        Some(pi) if rng.chance(0.8) => tags.push(PROVINCES[pi].0.replace(" – ", " - ")),
        None if rng.chance(0.5) => tags.push("toàn quốc".into()),
        _ => {}
    }
    if dated && rng.chance(0.25) {
        tags.push(y.to_string());
    }
    if tags.len() < 2 {
        tags.push("dữ liệu mở".into());
    }
    tags.truncate(5);

    // Notes: two to four sentences.
    let mut notes = vec![format!("{title} do {org_title} tổng hợp và công bố.")];
    let mut extra = vec![
        format!("**Đơn vị tính:** {}.", template.unit),
        match place {
            Some(_) => format!(
                "Số liệu được tổng hợp từ báo cáo của các sở, ban, ngành và UBND cấp huyện trên địa bàn {n}."
            ),
            None => "Số liệu được tổng hợp từ báo cáo của các bộ, ngành và 63 tỉnh, thành phố trực thuộc trung ương.".into(),
        },
        format!(
            "Dữ liệu phục vụ công tác quản lý nhà nước về {} và nhu cầu tra cứu của người dân, doanh nghiệp.",
            topic.title.to_lowercase()
        ),
        format!("Cập nhật {frequency_vi}; xem thêm phương pháp tính trong Niên giám thống kê."),
        "Tệp CSV dùng mã hóa UTF-8, dấu phẩy phân cách, số thập phân dùng dấu chấm.".into(),
    ];
    for _ in 0..rng.range(1, 3) {
        let k = rng.below(extra.len());
        notes.push(extra.swap_remove(k));
    }
    let notes = notes.join("\n\n");

    let id = rng.uuid();
    let mut slug = sen_domain::names::slugify(&title);
    slug.truncate(80);
    let name = format!("{}-{i}", slug.trim_end_matches('-'));

    let access_level = match rng.below(1000) {
        0..=24 => "shared",
        25..=49 => "internal",
        _ => "open",
    };
    let license = LICENSES[rng.weighted(LICENSES, |l| l.1)].0;

    // Resources: one to three formats.
    let mut formats: Vec<usize> = Vec::new();
    let wanted = rng.range(1, 3) as usize;
    while formats.len() < wanted {
        let f = rng.weighted(FORMATS, |f| f.1);
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    let mut resources = Vec::with_capacity(formats.len());
    for (position, &f) in formats.iter().enumerate() {
        let (format, _, res_name, mimetype, ext) = FORMATS[f];
        let url = if format == "API" {
            format!("https://api.data.gov.vn/v1/datasets/{name}")
        } else {
            format!("https://data.gov.vn/files/{name}/{position}.{ext}")
        };
        resources.push(ResourceRow {
            id: rng.uuid(),
            package_id: id.clone(),
            position: position as i64,
            name: res_name.to_string(),
            description: format!("{title} – định dạng {format}."),
            url,
            url_type: String::new(),
            format: format.to_string(),
            mimetype: mimetype.to_string(),
            size: (format != "API").then(|| rng.range(2_000, 5_000_000)),
            hash: String::new(),
            storage_key: None,
            extras: "{}".into(),
            state: "active".into(),
            created: created.clone(),
            last_modified: Some(modified.clone()),
        });
    }

    let spatial = match place {
        Some(pi) => PROVINCES[pi].0.to_string(),
        None => "Việt Nam".into(),
    };
    let mut res_formats: Vec<String> = resources.iter().map(|r| r.format.clone()).collect();
    res_formats.sort();
    let mut other_text = vec![org_title.clone(), topic.title.to_string(), spatial.clone()];
    other_text.extend(resources.iter().map(|r| r.name.clone()));
    other_text.extend(resources.iter().map(|r| r.description.clone()));

    let reference = ReferenceRow {
        id: id.clone(),
        name: name.clone(),
        title: title.clone(),
        notes: notes.clone(),
        organization: org_name.clone(),
        other_text: other_text.join(" "),
        tags: tags.clone(),
        res_formats,
        access_level: access_level.into(),
        modified: modified.clone(),
    };
    let row = PackageRow {
        id,
        name,
        title,
        notes,
        license_id: license.into(),
        owner_org: org_id.clone(),
        kind: "dataset".into(),
        state: "active".into(),
        access_level: access_level.into(),
        data_class: "ordinary".into(),
        frequency: frequency.into(),
        language: "vi".into(),
        spatial,
        temporal_start,
        temporal_end,
        maintainer: org_title.clone(),
        contact_name: org_title.clone(),
        extras: "[]".into(),
        search_text: " ".into(),
        creator_user_id: Some(v.creator_id.clone()),
        created,
        modified,
        ..Default::default()
    };
    Generated {
        package: BulkPackage {
            row,
            tags,
            group_ids: vec![v.topic_ids[topic_index].clone()],
            resources,
        },
        reference,
    }
}

// ---------------------------------------------------------------------------
// The run

pub(crate) fn progress(started: Instant, msg: impl std::fmt::Display) {
    eprintln!("[{:>6.1} s] {msg}", started.elapsed().as_secs_f64());
}

pub(crate) fn catalogue_error(what: &str, e: sen_domain::Error) -> anyhow::Error {
    crate::describe(&e).context(what.to_string())
}

pub async fn run_search(args: SearchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.datasets >= 1, "--datasets must be at least 1");
    anyhow::ensure!(args.requests >= 1, "--requests must be at least 1");
    anyhow::ensure!(args.concurrency >= 1, "--concurrency must be at least 1");
    let started = Instant::now();
    let dir = tempfile::Builder::new()
        .prefix("sen-bench-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    progress(
        started,
        format!(
            "Sen search benchmark: {} datasets in {}",
            args.datasets,
            dir.path().display()
        ),
    );

    let setup = populate(dir.path(), args.datasets, started).await?;
    let sen = measure_sen(dir.path(), &args, started).await?;

    let reference = match &args.postgres {
        Some(url) if !url.is_empty() => Some(
            measure_postgres(url, &args, &setup.vocab, started)
                .await
                .map_err(|e| format!("{e:#}")),
        ),
        _ => None,
    };

    progress(started, "done; removing the temporary directory");
    let report = Report {
        args: &args,
        setup: &setup,
        sen: &sen,
        reference: reference.as_ref(),
    };
    print!("{}", report.render());
    if let Err(e) = dir.close() {
        eprintln!("warning: could not remove the temporary directory: {e}");
    }
    if let Some(Err(e)) = reference {
        anyhow::bail!("the PostgreSQL reference failed: {e}");
    }
    Ok(())
}

struct Setup {
    vocab: Vocab,
    write_seconds: f64,
    rebuild_seconds: f64,
    indexed: usize,
}

pub(crate) fn bench_config(dir: &Path) -> Config {
    Config {
        data_dir: dir.to_path_buf(),
        database_url: Some(database_url(dir)),
        storage_url: Some(dir.join("files").display().to_string()),
        ..Config::default()
    }
}

pub(crate) fn database_url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("sen.db").display())
}

/// Creates the organisations and topics through the catalogue, writes the
/// datasets in large transactions, then rebuilds the search index (timed).
async fn populate(dir: &Path, datasets: usize, started: Instant) -> anyhow::Result<Setup> {
    let catalog = crate::open_catalog(&bench_config(dir)).await?;
    let vocab = create_vocab(&catalog).await?;

    progress(started, format!("writing {datasets} datasets"));
    let write_started = Instant::now();
    let tag_counter = AtomicU64::new(0);
    let new_tag_id = || format!("bench-tag-{}", tag_counter.fetch_add(1, Ordering::Relaxed));
    let mut next_report = datasets / 10;
    let mut i = 0;
    while i < datasets {
        let end = (i + WRITE_BATCH).min(datasets);
        let batch: Vec<BulkPackage> = (i..end).map(|k| generate(k, &vocab).package).collect();
        sen_db::insert_packages_bulk(&catalog.db, &batch, new_tag_id)
            .await
            .map_err(|e| catalogue_error("writing datasets", e))?;
        i = end;
        if i >= next_report && i < datasets {
            progress(started, format!("  {i}/{datasets} datasets written"));
            next_report = i + datasets / 10;
        }
    }
    let write_seconds = write_started.elapsed().as_secs_f64();
    progress(
        started,
        format!("{datasets} datasets written in {write_seconds:.1} s; rebuilding the search index"),
    );

    let rebuild_started = Instant::now();
    let indexed = catalog
        .rebuild_search_index(|_, _| {})
        .await
        .map_err(|e| catalogue_error("rebuilding the search index", e))?;
    let rebuild_seconds = rebuild_started.elapsed().as_secs_f64();
    progress(
        started,
        format!("search index rebuilt: {indexed} datasets in {rebuild_seconds:.1} s"),
    );
    // The served portal opens the same database and index.
    catalog.db.close().await;
    drop(catalog);
    Ok(Setup {
        vocab,
        write_seconds,
        rebuild_seconds,
        indexed,
    })
}

pub(crate) async fn act(
    catalog: &Catalog,
    actor: &Actor,
    action: &str,
    data: Value,
) -> anyhow::Result<Value> {
    let dict: Dict = data.as_object().cloned().unwrap_or_default();
    catalog
        .run_action(action, actor, &dict, None)
        .await
        .with_context(|| format!("unknown action {action}"))?
        .map_err(|e| catalogue_error(action, e))
}

async fn create_vocab(catalog: &Catalog) -> anyhow::Result<Vocab> {
    let new = sen_catalog::users::NewUser {
        name: "bench-admin",
        email: "bench-admin@example.org",
        password: "bench-password",
        fullname: "Benchmark",
        sysadmin: true,
    };
    catalog
        .create_user(&Actor::anonymous(), new)
        .await
        .map_err(|e| catalogue_error("creating the benchmark user", e))?;
    let admin = catalog
        .find_user("bench-admin")
        .await
        .map_err(|e| catalogue_error("reading the benchmark user", e))?
        .context("the benchmark user is missing")?;
    let creator_id = admin.id.clone();
    let admin = Actor::user(admin);

    let mut orgs = Vec::new();
    for (name, title, kind) in MINISTRIES {
        orgs.push((name.to_string(), title.to_string(), kind.to_string(), None));
    }
    for province in PUBLISHING_PROVINCES {
        let index = PROVINCES
            .iter()
            .position(|(n, _)| n == province)
            .with_context(|| format!("unknown province {province}"))?;
        orgs.push((
            format!("ubnd-{}", sen_domain::names::slugify(province)),
            format!("UBND {}", province_phrase(index)),
            "province".to_string(),
            Some(index),
        ));
    }
    let mut vocab = Vocab {
        orgs: Vec::new(),
        org_by_name: HashMap::new(),
        province_org: HashMap::new(),
        topic_ids: Vec::new(),
        creator_id,
    };
    for (name, title, kind, province) in orgs {
        let created = act(
            catalog,
            &admin,
            "organization_create",
            json!({"name": name, "title": title, "kind": kind,
                   "description": format!("{title} — đơn vị công bố dữ liệu.")}),
        )
        .await?;
        let id = created["id"].as_str().unwrap_or_default().to_string();
        let index = vocab.orgs.len();
        vocab.org_by_name.insert(name.clone(), index);
        if let Some(p) = province {
            vocab.province_org.insert(p, index);
        }
        vocab.orgs.push((name, title, id));
    }
    for topic in TOPICS {
        let created = act(
            catalog,
            &admin,
            "group_create",
            json!({"name": topic.name, "title": topic.title}),
        )
        .await?;
        vocab
            .topic_ids
            .push(created["id"].as_str().unwrap_or_default().to_string());
    }
    Ok(vocab)
}

// ---------------------------------------------------------------------------
// Measuring

pub(crate) struct Sample {
    pub(crate) query: usize,
    pub(crate) latency: Duration,
    pub(crate) ok: bool,
}

pub(crate) struct Measured {
    pub(crate) samples: Vec<Sample>,
    pub(crate) wall: Duration,
    pub(crate) first_error: Option<String>,
    /// How many datasets each query finds (from the warm-up).
    hits: Vec<i64>,
}

impl Measured {
    pub(crate) fn errors(&self) -> usize {
        self.samples.iter().filter(|s| !s.ok).count()
    }

    pub(crate) fn requests_per_second(&self) -> f64 {
        self.samples.len() as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    pub(crate) fn percentile_ms(&self, p: f64, query: Option<usize>) -> f64 {
        let mut v: Vec<Duration> = self
            .samples
            .iter()
            .filter(|s| query.is_none_or(|q| s.query == q))
            .map(|s| s.latency)
            .collect();
        if v.is_empty() {
            return f64::NAN;
        }
        v.sort();
        let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1].as_secs_f64() * 1000.0
    }
}

/// One client of a load run: sends query number `q` and says whether it was answered.
pub(crate) trait Worker: Send + 'static {
    fn call(&mut self, query: usize) -> impl Future<Output = Result<(), String>> + Send;
}

/// Runs `requests` calls over `workers` at once, cycling through `queries`,
/// stopping early at [`LOAD_TIME_LIMIT`].
pub(crate) async fn drive<W: Worker>(workers: Vec<W>, queries: usize, requests: usize) -> Measured {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + LOAD_TIME_LIMIT;
    let mut tasks = Vec::new();
    for mut worker in workers {
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut first_error = None;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests || Instant::now() >= deadline {
                    break;
                }
                let query = i % queries;
                let t = Instant::now();
                let result = tokio::time::timeout(REQUEST_TIMEOUT, worker.call(query))
                    .await
                    .unwrap_or_else(|_| Err("no answer within 30 s".into()));
                let latency = t.elapsed();
                if let Err(e) = &result {
                    first_error.get_or_insert_with(|| e.clone());
                }
                samples.push(Sample {
                    query,
                    latency,
                    ok: result.is_ok(),
                });
            }
            (samples, first_error)
        }));
    }
    let mut samples = Vec::with_capacity(requests);
    let mut first_error = None;
    for task in tasks {
        match task.await {
            Ok((s, e)) => {
                samples.extend(s);
                if first_error.is_none() {
                    first_error = e;
                }
            }
            Err(e) => {
                first_error.get_or_insert_with(|| format!("a load task failed: {e}"));
            }
        }
    }
    Measured {
        samples,
        wall: started.elapsed(),
        first_error,
        hits: Vec::new(),
    }
}

// --- Sen, as a separate process over HTTP

struct SenResult {
    measured: Measured,
    peak_memory_kib: Option<u64>,
    pages: Option<PageResult>,
}

/// The web pages of the same catalogue, served by the same process.
struct PageResult {
    /// Search pages: the same words typed into the search box, with one facet chosen.
    search: Measured,
    /// Dataset pages of datasets the queries found.
    dataset: Measured,
    /// Bytes of the heaviest first visit (home, search or dataset page with
    /// its style sheet, script and logo), as sent (uncompressed).
    first_load_bytes: usize,
}

/// The served portal; killed when dropped.
pub(crate) struct Server {
    pub(crate) child: std::process::Child,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub(crate) fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

pub(crate) fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .context("cannot find a free port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

pub(crate) fn start_server(dir: &Path, port: u16) -> anyhow::Result<Server> {
    let exe = std::env::current_exe().context("cannot find the sen executable")?;
    let log = dir.join("server.log");
    let log_file = std::fs::File::create(&log).context("cannot create the server log")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--data-dir")
        .arg(dir)
        .arg("serve")
        .arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        // The benchmark's own catalogue, whatever the environment says.
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("SEN_DATABASE_URL", database_url(dir))
        .env("SEN_STORAGE_URL", dir.join("files").display().to_string())
        .env("SEN_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log_file);
    let child = cmd.spawn().context("cannot start `sen serve`")?;
    Ok(Server { child, log })
}

pub(crate) fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

async fn measure_sen(dir: &Path, args: &SearchArgs, started: Instant) -> anyhow::Result<SenResult> {
    let port = free_port()?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    progress(started, format!("starting `sen serve` on {addr}"));
    let mut server = start_server(dir, port)?;

    // Ready when /healthz answers 200.
    let ready_by = Instant::now() + Duration::from_secs(300);
    let mut client = HttpClient::new(addr);
    loop {
        if let Some(status) = server.child.try_wait()? {
            anyhow::bail!(
                "`sen serve` exited ({status}) before answering:\n{}",
                server.log_tail()
            );
        }
        if let Ok((200, _)) = client.request("GET", "/healthz", b"").await {
            break;
        }
        anyhow::ensure!(
            Instant::now() < ready_by,
            "`sen serve` did not answer /healthz within 300 s:\n{}",
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    progress(
        started,
        format!(
            "Sen: warm-up ({WARM_UP_ROUNDS} rounds of {} queries)",
            QUERIES.len()
        ),
    );
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(QUERIES.iter().map(BenchQuery::sen_body).collect());
    let mut hits = vec![0; QUERIES.len()];
    let mut found_names: Vec<String> = Vec::new();
    for _ in 0..WARM_UP_ROUNDS {
        for (i, body) in bodies.iter().enumerate() {
            let (status, answer) = client
                .request("POST", SEARCH_PATH, body)
                .await
                .context("package_search during the warm-up")?;
            let answer: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
            anyhow::ensure!(
                status == 200,
                "package_search for {:?} answered {status}: {answer}",
                QUERIES[i].q
            );
            hits[i] = answer["result"]["count"].as_i64().unwrap_or(-1);
            for d in answer["result"]["results"].as_array().into_iter().flatten() {
                if let Some(name) = d["name"].as_str() {
                    if !found_names.iter().any(|n| n == name) {
                        found_names.push(name.to_string());
                    }
                }
            }
        }
    }

    progress(
        started,
        format!(
            "Sen: {} requests, concurrency {}",
            args.requests, args.concurrency
        ),
    );
    let workers: Vec<SenWorker> = (0..args.concurrency)
        .map(|_| SenWorker {
            client: HttpClient::new(addr),
            bodies: bodies.clone(),
        })
        .collect();
    let mut measured = drive(workers, QUERIES.len(), args.requests).await;
    measured.hits = hits;
    let pages = measure_pages(addr, args, &found_names, started).await?;
    let peak = peak_memory_kib(server.child.id());
    if let Ok(Some(status)) = server.child.try_wait() {
        anyhow::bail!(
            "`sen serve` exited ({status}) during the run:\n{}",
            server.log_tail()
        );
    }
    progress(
        started,
        format!(
            "Sen: {} answers in {:.1} s; stopping the server",
            measured.samples.len(),
            measured.wall.as_secs_f64()
        ),
    );
    drop(server);
    Ok(SenResult {
        measured,
        peak_memory_kib: peak,
        pages,
    })
}

/// Search and dataset pages as a browser asks for them (HTML, Vietnamese),
/// over the same keep-alive connections; and the weight of a first visit.
async fn measure_pages(
    addr: SocketAddr,
    args: &SearchArgs,
    names: &[String],
    started: Instant,
) -> anyhow::Result<Option<PageResult>> {
    if names.is_empty() {
        return Ok(None);
    }
    let encode = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let search_paths: Vec<String> = QUERIES
        .iter()
        .map(|q| {
            let (field, value) = q.filters[0];
            format!("/dataset?q={}&{field}={}", encode(q.q), encode(value))
        })
        .collect();
    let dataset_paths: Vec<String> = names
        .iter()
        .take(50)
        .map(|n| format!("/dataset/{n}"))
        .collect();

    let mut client = HttpClient::new(addr).for_pages();
    let mut first_load_bytes = 0;
    for path in ["/"]
        .into_iter()
        .chain([search_paths[0].as_str(), dataset_paths[0].as_str()])
    {
        first_load_bytes = first_load_bytes.max(first_visit_bytes(&mut client, path).await?);
    }

    let requests = args.requests.min(2_000);
    let run = |paths: Vec<String>, what: &'static str| {
        progress(
            started,
            format!(
                "Sen: {requests} {what} pages, concurrency {}",
                args.concurrency
            ),
        );
        let paths = Arc::new(paths);
        let workers: Vec<PageWorker> = (0..args.concurrency)
            .map(|_| PageWorker {
                client: HttpClient::new(addr).for_pages(),
                paths: paths.clone(),
            })
            .collect();
        drive(workers, paths.len(), requests)
    };
    let search = run(search_paths, "search").await;
    let dataset = run(dataset_paths, "dataset").await;
    Ok(Some(PageResult {
        search,
        dataset,
        first_load_bytes,
    }))
}

/// The bytes a first visit to `path` transfers: the page, then each style
/// sheet, script and image it names on this site (fetched once each).
async fn first_visit_bytes(client: &mut HttpClient, path: &str) -> anyhow::Result<usize> {
    let (status, html) = client.request("GET", path, b"").await?;
    anyhow::ensure!(status == 200, "GET {path} answered {status}");
    let text = String::from_utf8_lossy(&html).to_string();
    let mut total = html.len();
    let mut seen = Vec::new();
    for attr in ["href=\"/static/", "src=\"/static/", "src=\"/site/"] {
        for (at, _) in text.match_indices(attr) {
            // The asset's path starts after the attribute's opening quote.
            let start = at + attr.find('"').map_or(0, |q| q + 1);
            let Some(end) = text[start..].find('"') else {
                continue;
            };
            let asset = &text[start..start + end];
            if seen.iter().any(|s| s == asset) {
                continue;
            }
            seen.push(asset.to_string());
            let (status, body) = client.request("GET", asset, b"").await?;
            if status == 200 {
                total += body.len();
            }
        }
    }
    Ok(total)
}

struct PageWorker {
    client: HttpClient,
    paths: Arc<Vec<String>>,
}

impl Worker for PageWorker {
    async fn call(&mut self, page: usize) -> Result<(), String> {
        match self.client.request("GET", &self.paths[page], b"").await {
            Ok((200, _)) => Ok(()),
            Ok((status, _)) => Err(format!("GET {} answered HTTP {status}", self.paths[page])),
            Err(e) => Err(format!("{e:#}")),
        }
    }
}

struct SenWorker {
    client: HttpClient,
    bodies: Arc<Vec<Vec<u8>>>,
}

impl Worker for SenWorker {
    async fn call(&mut self, query: usize) -> Result<(), String> {
        let body = &self.bodies[query];
        match self.client.request("POST", SEARCH_PATH, body).await {
            Ok((200, _)) => Ok(()),
            Ok((status, answer)) => Err(format!(
                "HTTP {status}: {}",
                String::from_utf8_lossy(&answer[..answer.len().min(300)])
            )),
            Err(e) => Err(format!("{e:#}")),
        }
    }
}

/// A minimal HTTP/1.1 client for 127.0.0.1: one keep-alive connection,
/// Content-Length and chunked bodies.
pub(crate) struct HttpClient {
    addr: SocketAddr,
    conn: Option<BufReader<TcpStream>>,
    /// Extra request headers (a page client asks for HTML in Vietnamese).
    headers: &'static str,
}

impl HttpClient {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            conn: None,
            headers: "Accept: application/json\r\n",
        }
    }

    /// Asks as a browser does: HTML, in Vietnamese.
    pub(crate) fn for_pages(mut self) -> Self {
        self.headers = "Accept: text/html,*/*;q=0.8\r\nAccept-Language: vi\r\n";
        self
    }

    pub(crate) async fn request(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> anyhow::Result<(u16, Vec<u8>)> {
        let result = self.exchange(method, path, body).await;
        if result.is_err() {
            self.conn = None;
        }
        result
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> anyhow::Result<(u16, Vec<u8>)> {
        let conn = match &mut self.conn {
            Some(c) => c,
            None => {
                let stream = TcpStream::connect(self.addr).await?;
                stream.set_nodelay(true)?;
                self.conn.insert(BufReader::new(stream))
            }
        };
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{}",
            self.addr, self.headers
        );
        if method != "GET" {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        conn.get_mut().write_all(&bytes).await?;

        let mut line = String::new();
        anyhow::ensure!(
            conn.read_line(&mut line).await? > 0,
            "the server closed the connection"
        );
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            line.clear();
            anyhow::ensure!(
                conn.read_line(&mut line).await? > 0,
                "the server closed the connection"
            );
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                match name.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = value.parse::<usize>().ok(),
                    "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                    "connection" => close = value.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
        }
        let mut answer = Vec::new();
        if chunked {
            loop {
                line.clear();
                conn.read_line(&mut line).await?;
                let size_text = line.trim().split(';').next().unwrap_or("");
                let size = usize::from_str_radix(size_text, 16)
                    .with_context(|| format!("bad chunk size {line:?}"))?;
                if size == 0 {
                    // Trailers end with an empty line.
                    loop {
                        line.clear();
                        if conn.read_line(&mut line).await? == 0 || line.trim().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let start = answer.len();
                answer.resize(start + size, 0);
                conn.read_exact(&mut answer[start..]).await?;
                let mut crlf = [0u8; 2];
                conn.read_exact(&mut crlf).await?;
            }
        } else if let Some(n) = length {
            answer.resize(n, 0);
            conn.read_exact(&mut answer).await?;
        } else {
            conn.read_to_end(&mut answer).await?;
            close = true;
        }
        if close {
            self.conn = None;
        }
        Ok((status, answer))
    }
}

// --- PostgreSQL reference

struct PgResult {
    measured: Measured,
    version: String,
    unaccent: Result<(), String>,
    load_seconds: f64,
}

async fn measure_postgres(
    url: &str,
    args: &SearchArgs,
    vocab: &Vocab,
    started: Instant,
) -> anyhow::Result<PgResult> {
    let name = format!(
        "sen_bench_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    );
    progress(
        started,
        format!("PostgreSQL reference: creating database {name}"),
    );
    let reference = PgReference::create(url, &name, args.concurrency as u32).await?;
    let reference = Arc::new(reference);
    let result = reference_run(reference.clone(), args, vocab, started).await;
    progress(
        started,
        format!("PostgreSQL reference: dropping database {name}"),
    );
    let dropped = reference.drop_database().await;
    let result = result?;
    dropped.with_context(|| format!("could not drop the reference database {name}"))?;
    Ok(result)
}

async fn reference_run(
    reference: Arc<PgReference>,
    args: &SearchArgs,
    vocab: &Vocab,
    started: Instant,
) -> anyhow::Result<PgResult> {
    let version = reference.version().await.unwrap_or_default();
    if let Err(e) = &reference.unaccent {
        progress(
            started,
            format!("PostgreSQL reference: CREATE EXTENSION unaccent failed ({e}); continuing without accent folding"),
        );
    }
    progress(
        started,
        format!("PostgreSQL reference: loading {} rows", args.datasets),
    );
    let load_started = Instant::now();
    let mut i = 0;
    while i < args.datasets {
        let end = (i + 10_000).min(args.datasets);
        let rows: Vec<ReferenceRow> = (i..end).map(|k| generate(k, vocab).reference).collect();
        reference.load(&rows).await?;
        i = end;
    }
    progress(
        started,
        "PostgreSQL reference: computing tsvector, building indexes, VACUUM ANALYZE",
    );
    reference.finish_load().await?;
    let load_seconds = load_started.elapsed().as_secs_f64();
    let stored = reference.len().await?;
    anyhow::ensure!(
        stored == args.datasets as i64,
        "the reference table holds {stored} rows, not {}",
        args.datasets
    );

    progress(started, "PostgreSQL reference: warm-up");
    let queries: Arc<Vec<ReferenceQuery>> =
        Arc::new(QUERIES.iter().map(BenchQuery::reference).collect());
    let mut hits = vec![0; queries.len()];
    for _ in 0..WARM_UP_ROUNDS {
        for (i, q) in queries.iter().enumerate() {
            hits[i] = reference
                .search(q)
                .await
                .with_context(|| format!("reference search for {:?}", q.text))?
                .count;
        }
    }
    progress(
        started,
        format!(
            "PostgreSQL reference: {} requests, concurrency {}",
            args.requests, args.concurrency
        ),
    );
    let workers: Vec<PgWorker> = (0..args.concurrency)
        .map(|_| PgWorker {
            reference: reference.clone(),
            queries: queries.clone(),
        })
        .collect();
    let mut measured = drive(workers, queries.len(), args.requests).await;
    measured.hits = hits;
    Ok(PgResult {
        measured,
        version,
        unaccent: reference.unaccent.clone(),
        load_seconds,
    })
}

struct PgWorker {
    reference: Arc<PgReference>,
    queries: Arc<Vec<ReferenceQuery>>,
}

impl Worker for PgWorker {
    async fn call(&mut self, query: usize) -> Result<(), String> {
        self.reference
            .search(&self.queries[query])
            .await
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
    }
}

// ---------------------------------------------------------------------------
// Report

struct Report<'a> {
    args: &'a SearchArgs,
    setup: &'a Setup,
    sen: &'a SenResult,
    reference: Option<&'a Result<PgResult, String>>,
}

pub(crate) fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

pub(crate) fn ms(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else if v < 10.0 {
        format!("{v:.2} ms")
    } else {
        format!("{v:.1} ms")
    }
}

impl Report<'_> {
    fn pg(&self) -> Option<&PgResult> {
        self.reference.and_then(|r| r.as_ref().ok())
    }

    fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let sen = &self.sen.measured;
        let pg = self.pg();
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let _ = writeln!(
            out,
            "Sen search benchmark — {} datasets, {} requests, concurrency {} ({cores} cores)",
            self.args.datasets, self.args.requests, self.args.concurrency
        );
        let _ = writeln!(
            out,
            "Sen {}: `sen serve` (SQLite + search index) as a separate process, CKAN package_search over HTTP/1.1 keep-alive",
            env!("CARGO_PKG_VERSION")
        );
        match self.reference {
            None => {
                let _ = writeln!(
                    out,
                    "PostgreSQL reference: skipped (give --postgres URL or SEN_BENCH_POSTGRES; the user must be allowed to CREATE DATABASE)"
                );
            }
            Some(Err(e)) => {
                let _ = writeln!(out, "PostgreSQL reference: FAILED — {e}");
            }
            Some(Ok(p)) => {
                let folding = match &p.unaccent {
                    Ok(()) => "accents folded with unaccent".to_string(),
                    Err(e) => format!(
                        "WITHOUT unaccent ({e}): plain to_tsvector, so queries typed without accents find nothing there"
                    ),
                };
                let _ = writeln!(
                    out,
                    "PostgreSQL reference: PostgreSQL {}, one table, tsvector (title weighted A) + GIN, {folding}; 5 statements per request over a pool of {}; load + indexes {:.1} s",
                    p.version, self.args.concurrency, p.load_seconds
                );
            }
        }
        let _ = writeln!(
            out,
            "datasets written in {:.1} s ({} indexed)",
            self.setup.write_seconds, self.setup.indexed
        );
        let rebuild = self.setup.rebuild_seconds;
        let _ = writeln!(
            out,
            "index rebuild: {rebuild:.1} s (target ≤ {TARGET_REBUILD_S:.0} s) {}",
            verdict(rebuild <= TARGET_REBUILD_S)
        );
        let _ = writeln!(out);

        let row = |out: &mut String, label: &str, s: String, p: String, target: String, v: &str| {
            let _ = writeln!(out, "{label:<22}{s:<18}{p:<18}{target:<12}{v}");
        };
        row(
            &mut out,
            "",
            "Sen".into(),
            "PostgreSQL FTS".into(),
            "target".into(),
            "",
        );
        let pg_or =
            |f: &dyn Fn(&Measured) -> String| pg.map_or("–".to_string(), |p| f(&p.measured));
        let p50 = sen.percentile_ms(0.50, None);
        row(
            &mut out,
            "p50",
            ms(p50),
            pg_or(&|m| ms(m.percentile_ms(0.50, None))),
            format!("≤ {TARGET_P50_MS:.0} ms"),
            verdict(p50 <= TARGET_P50_MS),
        );
        let p99 = sen.percentile_ms(0.99, None);
        row(
            &mut out,
            "p99",
            ms(p99),
            pg_or(&|m| ms(m.percentile_ms(0.99, None))),
            format!("≤ {TARGET_P99_MS:.0} ms"),
            verdict(p99 <= TARGET_P99_MS),
        );
        let rps = sen.requests_per_second();
        row(
            &mut out,
            "requests/s",
            format!("{rps:.0}"),
            pg_or(&|m| format!("{:.0}", m.requests_per_second())),
            format!("≥ {TARGET_RPS:.0}"),
            verdict(rps >= TARGET_RPS),
        );
        row(
            &mut out,
            "requests answered",
            sen.samples.len().to_string(),
            pg_or(&|m| m.samples.len().to_string()),
            self.args.requests.to_string(),
            verdict(sen.samples.len() == self.args.requests),
        );
        row(
            &mut out,
            "errors (non-200)",
            sen.errors().to_string(),
            pg_or(&|m| m.errors().to_string()),
            "0".into(),
            verdict(sen.errors() == 0),
        );
        let memory_mb = self
            .sen
            .peak_memory_kib
            .map(|k| k as f64 * 1024.0 / 1_000_000.0);
        row(
            &mut out,
            "server peak memory",
            memory_mb.map_or("n/a".into(), |m| format!("{m:.0} MB")),
            "–".into(),
            format!("≤ {TARGET_MEMORY_MB:.0} MB"),
            memory_mb.map_or("not measured", |m| verdict(m <= TARGET_MEMORY_MB)),
        );
        if let Some(pages) = &self.sen.pages {
            for (label, m) in [
                ("search page", &pages.search),
                ("dataset page", &pages.dataset),
            ] {
                let p50 = m.percentile_ms(0.50, None);
                row(
                    &mut out,
                    &format!("{label} p50"),
                    ms(p50),
                    "–".into(),
                    format!("≤ {TARGET_PAGE_P50_MS:.0} ms"),
                    verdict(p50 <= TARGET_PAGE_P50_MS && m.errors() == 0),
                );
                let p99 = m.percentile_ms(0.99, None);
                row(
                    &mut out,
                    &format!("{label} p99"),
                    ms(p99),
                    "–".into(),
                    format!("≤ {TARGET_P99_MS:.0} ms"),
                    verdict(p99 <= TARGET_P99_MS),
                );
            }
            let kb = pages.first_load_bytes as f64 / 1000.0;
            row(
                &mut out,
                "first page load",
                format!("{kb:.0} KB"),
                "–".into(),
                format!("≤ {TARGET_FIRST_LOAD_KB:.0} KB"),
                verdict(kb <= TARGET_FIRST_LOAD_KB),
            );
        }
        match pg {
            Some(p) => {
                let faster = (0..QUERIES.len())
                    .filter(|&q| {
                        sen.percentile_ms(0.5, Some(q)) < p.measured.percentile_ms(0.5, Some(q))
                    })
                    .count();
                row(
                    &mut out,
                    "faster than PG (p50)",
                    format!("{faster} of {} queries", QUERIES.len()),
                    "–".into(),
                    "all".into(),
                    verdict(faster == QUERIES.len()),
                );
            }
            None => row(
                &mut out,
                "faster than PG (p50)",
                "–".into(),
                "–".into(),
                "all".into(),
                "not measured",
            ),
        }
        let limit = LOAD_TIME_LIMIT.as_secs();
        if sen.samples.len() < self.args.requests {
            let _ = writeln!(out, "Sen stopped at the {limit} s time limit");
        }
        if pg.is_some_and(|p| p.measured.samples.len() < self.args.requests) {
            let _ = writeln!(
                out,
                "PostgreSQL stopped at the {limit} s time limit (figures are over the requests answered)"
            );
        }
        if let Some(e) = &sen.first_error {
            let _ = writeln!(out, "first Sen error: {e}");
        }
        if let Some(pages) = &self.sen.pages {
            for e in [&pages.search.first_error, &pages.dataset.first_error]
                .into_iter()
                .flatten()
            {
                let _ = writeln!(out, "first Sen page error: {e}");
            }
            let _ = writeln!(
                out,
                "pages: GET as a browser (HTML, Vietnamese), {} requests each over {} connections; CKAN's published figures for comparison (not measured here): catalog.data.gov search p50 640–710 ms, dataset pages saturating near 5 requests/s",
                pages.search.samples.len(),
                self.args.concurrency
            );
        }
        if let Some(e) = pg.and_then(|p| p.measured.first_error.as_ref()) {
            let _ = writeln!(out, "first PostgreSQL error: {e}");
        }

        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "queries (POST {SEARCH_PATH}: q, fq, facet.field {:?}, rows {ROWS}; anonymous, so open data only):",
            FACETS
        );
        let _ = writeln!(
            out,
            "  {:<3}{:<11}{:<11}{:<10}{:<10}q | fq",
            "#", "Sen p50", "PG p50", "Sen hits", "PG hits"
        );
        for (i, q) in QUERIES.iter().enumerate() {
            let pg_p50 = pg.map_or("–".into(), |p| ms(p.measured.percentile_ms(0.5, Some(i))));
            let pg_hits = pg.map_or("–".into(), |p| p.measured.hits[i].to_string());
            let _ = writeln!(
                out,
                "  {:<3}{:<11}{:<11}{:<10}{:<10}{} | {}",
                i + 1,
                ms(sen.percentile_ms(0.5, Some(i))),
                pg_p50,
                sen.hits[i],
                pg_hits,
                q.q,
                q.fq()
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_is_complete_and_valid() {
        assert_eq!(PROVINCES.len(), 63);
        assert_eq!(TOPICS.len(), 12);
        let orgs = MINISTRIES.len() + PUBLISHING_PROVINCES.len();
        assert!((20..=40).contains(&orgs));
        for topic in TOPICS {
            assert!(sen_domain::names::check(topic.name).is_ok());
            for org in topic.orgs {
                assert!(MINISTRIES.iter().any(|m| m.0 == *org), "{org}");
            }
        }
        for q in QUERIES {
            for (field, value) in q.filters {
                if field == "organization" && !value.starts_with("ubnd-") {
                    assert!(MINISTRIES.iter().any(|m| m.0 == value), "{value}");
                }
            }
        }
    }

    #[test]
    fn generation_is_deterministic_and_plausible() {
        let vocab = Vocab {
            orgs: MINISTRIES
                .iter()
                .map(|(n, t, _)| (n.to_string(), t.to_string(), format!("id-{n}")))
                .collect(),
            org_by_name: MINISTRIES
                .iter()
                .enumerate()
                .map(|(i, m)| (m.0.to_string(), i))
                .collect(),
            province_org: HashMap::new(),
            topic_ids: TOPICS.iter().map(|t| t.name.to_string()).collect(),
            creator_id: "creator".into(),
        };
        let a = generate(42, &vocab);
        let b = generate(42, &vocab);
        assert_eq!(a.package.row.id, b.package.row.id);
        assert_eq!(a.package.row.title, b.package.row.title);
        let mut names = std::collections::HashSet::new();
        for i in 0..2000 {
            let g = generate(i, &vocab);
            let p = &g.package;
            assert!(
                sen_domain::names::check(&p.row.name).is_ok(),
                "{}",
                p.row.name
            );
            assert!(names.insert(p.row.name.clone()));
            assert!((2..=5).contains(&p.tags.len()), "{:?}", p.tags);
            assert!((1..=3).contains(&p.resources.len()));
            assert!(p.row.created.as_str() >= "2015" && p.row.modified.as_str() < "2026");
            assert!(p.row.created <= p.row.modified);
            for tag in &p.tags {
                assert!(tag
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.')));
            }
        }
    }

    #[test]
    fn filters_become_solr_filter_queries() {
        assert_eq!(
            QUERIES[1].fq(),
            "tags:\"dân số\" res_format:XLSX".to_string()
        );
        let body: Value = serde_json::from_slice(&QUERIES[0].sen_body()).unwrap();
        assert_eq!(body["rows"], 20);
        assert_eq!(body["facet.field"].as_array().map(Vec::len), Some(3));
    }
}
