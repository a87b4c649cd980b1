//! The template environment: loader with theme overrides, translation
//! function, and filters for numbers, dates, sizes and Markdown.

use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State};
use sen_i18n::Lang;
use std::path::PathBuf;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "inventory_list.html",
        include_str!("../../templates/inventory_list.html"),
    ),
    (
        "inventory_system.html",
        include_str!("../../templates/inventory_system.html"),
    ),
    (
        "inventory_form.html",
        include_str!("../../templates/inventory_form.html"),
    ),
    (
        "inventory_import.html",
        include_str!("../../templates/inventory_import.html"),
    ),
    (
        "inventory_dashboard.html",
        include_str!("../../templates/inventory_dashboard.html"),
    ),
    (
        "open_data_list.html",
        include_str!("../../templates/open_data_list.html"),
    ),
    ("news.html", include_str!("../../templates/news.html")),
    ("post.html", include_str!("../../templates/post.html")),
    (
        "post_edit.html",
        include_str!("../../templates/post_edit.html"),
    ),
    ("legal.html", include_str!("../../templates/legal.html")),
    (
        "legal_doc.html",
        include_str!("../../templates/legal_doc.html"),
    ),
    (
        "access_requests.html",
        include_str!("../../templates/access_requests.html"),
    ),
    (
        "access_request.html",
        include_str!("../../templates/access_request.html"),
    ),
    (
        "admin_audit.html",
        include_str!("../../templates/admin_audit.html"),
    ),
    ("home.html", include_str!("../../templates/home.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("dataset.html", include_str!("../../templates/dataset.html")),
    (
        "organizations.html",
        include_str!("../../templates/organizations.html"),
    ),
    ("group.html", include_str!("../../templates/group.html")),
    ("topics.html", include_str!("../../templates/topics.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("login.html", include_str!("../../templates/login.html")),
    (
        "register.html",
        include_str!("../../templates/register.html"),
    ),
    ("me.html", include_str!("../../templates/me.html")),
    (
        "macros_form.html",
        include_str!("../../templates/macros_form.html"),
    ),
    (
        "dataset_edit.html",
        include_str!("../../templates/dataset_edit.html"),
    ),
    (
        "resource_new.html",
        include_str!("../../templates/resource_new.html"),
    ),
    ("confirm.html", include_str!("../../templates/confirm.html")),
    (
        "group_edit.html",
        include_str!("../../templates/group_edit.html"),
    ),
    ("members.html", include_str!("../../templates/members.html")),
    (
        "resource.html",
        include_str!("../../templates/resource.html"),
    ),
    (
        "reset_request.html",
        include_str!("../../templates/reset_request.html"),
    ),
    (
        "reset_form.html",
        include_str!("../../templates/reset_form.html"),
    ),
    (
        "profile_edit.html",
        include_str!("../../templates/profile_edit.html"),
    ),
    (
        "macros_admin.html",
        include_str!("../../templates/macros_admin.html"),
    ),
    (
        "admin_settings.html",
        include_str!("../../templates/admin_settings.html"),
    ),
    (
        "admin_users.html",
        include_str!("../../templates/admin_users.html"),
    ),
    (
        "admin_licenses.html",
        include_str!("../../templates/admin_licenses.html"),
    ),
    (
        "admin_harvest.html",
        include_str!("../../templates/admin_harvest.html"),
    ),
    (
        "requests.html",
        include_str!("../../templates/requests.html"),
    ),
    ("request.html", include_str!("../../templates/request.html")),
    (
        "request_new.html",
        include_str!("../../templates/request_new.html"),
    ),
    (
        "macros_feedback.html",
        include_str!("../../templates/macros_feedback.html"),
    ),
    (
        "feedback.html",
        include_str!("../../templates/feedback.html"),
    ),
    (
        "feedback_queue.html",
        include_str!("../../templates/feedback_queue.html"),
    ),
    ("about.html", include_str!("../../templates/about.html")),
    (
        "licenses.html",
        include_str!("../../templates/licenses.html"),
    ),
];

pub const STATIC: &[(&str, &str, &str)] = &[
    (
        "sen.css",
        "text/css; charset=utf-8",
        include_str!("../../static/sen.css"),
    ),
    (
        "sen.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/sen.js"),
    ),
];

pub struct Pages {
    env: Environment<'static>,
    theme_dir: Option<PathBuf>,
}

fn lang_of(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or_default()
}

fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<String, Error> {
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        args.push((name, value.to_string()));
    }
    Ok(sen_i18n::t(lang_of(state), key, &args))
}

/// A message recorded as `{key, args}` (ingestion reports), in the page's language.
fn notice(state: &State, n: Value) -> String {
    let Some(key) = n
        .get_attr("key")
        .ok()
        .and_then(|k| k.as_str().map(str::to_string))
    else {
        return String::new();
    };
    let mut args: Vec<(String, String)> = Vec::new();
    if let Ok(map) = n.get_attr("args") {
        if let Ok(keys) = map.try_iter() {
            for k in keys {
                let name = k.to_string();
                let v = map.get_item(&k).map(|v| v.to_string()).unwrap_or_default();
                args.push((name, v));
            }
        }
    }
    let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    sen_i18n::t(lang_of(state), &key, &args)
}

/// Thousands separators as each language writes them: 10.604 / 10,604.
/// A number with the language's separators: 1.234.567,5 in Vietnamese,
/// 1,234,567.5 in English; fractions to two places at most.
fn number(state: &State, value: Value) -> String {
    let (group_sep, decimal_sep) = if lang_of(state) == Lang::Vi {
        ('.', ',')
    } else {
        (',', '.')
    };
    let (negative, whole, fraction) = match value.as_i64() {
        Some(n) => (n < 0, n.unsigned_abs(), String::new()),
        None => {
            let x = f64::try_from(value).unwrap_or(0.0);
            let hundredths = (x.abs() * 100.0).round();
            let cents = format!("{:02}", (hundredths % 100.0) as u64);
            (
                x < 0.0 && hundredths > 0.0,
                (hundredths / 100.0).trunc() as u64,
                cents.trim_end_matches('0').to_string(),
            )
        }
    };
    let digits = whole.to_string();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group_sep);
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push(decimal_sep);
        out.push_str(&fraction);
    }
    out
}

/// At most `n` characters, with an ellipsis when cut.
fn truncate(value: Value, n: Option<usize>) -> String {
    let text = value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string());
    let n = n.unwrap_or(40);
    if text.chars().count() <= n {
        text
    } else {
        format!("{}…", text.chars().take(n).collect::<String>().trim_end())
    }
}

/// A stored timestamp as a date: 03/12/2026 in Vietnamese, 3 Dec 2026 in English.
fn date(state: &State, value: Value) -> String {
    let text = value.as_str().unwrap_or_default();
    let Some(t) = sen_domain::time::parse(text) else {
        return text.to_string();
    };
    match lang_of(state) {
        Lang::Vi => t.format("%d/%m/%Y").to_string(),
        Lang::En => t.format("%-d %b %Y").to_string(),
    }
}

fn filesize(state: &State, value: Value) -> String {
    let Some(bytes) = value.as_i64() else {
        return String::new();
    };
    let units = ["B", "KB", "MB", "GB", "TB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < units.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    let text = if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", units[unit])
    };
    if lang_of(state) == Lang::Vi {
        text.replace('.', ",")
    } else {
        text
    }
}

fn option(value: &str, label: String) -> Value {
    Value::from_serialize(serde_json::json!({"value": value, "label": label}))
}

fn items(value: &Value) -> Vec<Value> {
    value.try_iter().map(|it| it.collect()).unwrap_or_default()
}

fn text_of(value: &Value, key: &str) -> String {
    value
        .get_attr(key)
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_none())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// Choices of a select whose labels are messages: `prefix` + value ("" is "not specified").
fn label_options(state: &State, values: Value, prefix: &str) -> Vec<Value> {
    let lang = lang_of(state);
    items(&values)
        .iter()
        .map(|v| {
            let v = v.as_str().unwrap_or_default();
            let label = if v.is_empty() {
                sen_i18n::t(lang, "ui-not-specified", &[])
            } else {
                sen_i18n::t(lang, &format!("{prefix}{}", v.replace('_', "-")), &[])
            };
            option(v, label)
        })
        .collect()
}

/// Licences from `license_list` as choices, "not specified" first.
fn license_options(state: &State, licenses: Value) -> Vec<Value> {
    let mut out = vec![option(
        "",
        sen_i18n::t(lang_of(state), "ui-not-specified", &[]),
    )];
    out.extend(
        items(&licenses)
            .iter()
            .map(|l| option(&text_of(l, "id"), text_of(l, "title"))),
    );
    out
}

/// Organisations where the visitor publishes, by id.
fn publisher_options(orgs: Value) -> Vec<Value> {
    items(&orgs)
        .iter()
        .map(|o| option(&text_of(o, "id"), text_of(o, "title")))
        .collect()
}

/// Other organisations by name (for parent and successor), "none" first.
fn org_options(orgs: Value, current: Option<Value>) -> Vec<Value> {
    let own = current.map(|c| text_of(&c, "name")).unwrap_or_default();
    let mut out = vec![option("", "—".into())];
    out.extend(
        items(&orgs)
            .iter()
            .filter(|o| text_of(o, "name") != own)
            .map(|o| option(&text_of(o, "name"), text_of(o, "title"))),
    );
    out
}

fn markdown(value: Value) -> Value {
    Value::from_safe_string(super::markdown::render(value.as_str().unwrap_or_default()))
}

/// The first `n` characters of plain text (for result snippets).
fn excerpt(value: Value, n: Option<usize>) -> String {
    let text = value.as_str().unwrap_or_default();
    let plain: String = text
        .chars()
        .filter(|c| !matches!(c, '*' | '#' | '`' | '_'))
        .collect();
    let n = n.unwrap_or(220);
    if plain.chars().count() <= n {
        plain
    } else {
        format!("{}…", plain.chars().take(n).collect::<String>().trim_end())
    }
}

impl Pages {
    pub fn new(theme_dir: Option<PathBuf>) -> Self {
        let mut env = Environment::new();
        let dir = theme_dir.clone();
        env.set_loader(move |name| {
            if let Some(dir) = &dir {
                let path = dir.join("templates").join(name);
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        Error::new(
                            ErrorKind::TemplateNotFound,
                            format!("{}: {e}", path.display()),
                        )
                    });
                }
            }
            Ok(TEMPLATES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| (*t).to_string()))
        });
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.add_function("t", translate);
        env.add_function("notice", notice);
        env.add_filter("num", number);
        env.add_filter("date", date);
        env.add_filter("filesize", filesize);
        env.add_filter("markdown", markdown);
        env.add_filter("excerpt", excerpt);
        env.add_filter("truncate", truncate);
        env.add_filter("label_options", label_options);
        env.add_filter("license_options", license_options);
        env.add_filter("publisher_options", publisher_options);
        env.add_filter("org_options", org_options);
        Self { env, theme_dir }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, Error> {
        self.env.get_template(name)?.render(ctx)
    }

    /// A static file: the theme's copy if there is one, else the embedded one.
    pub fn static_file(&self, name: &str) -> Option<(String, Vec<u8>)> {
        let (_, mime, embedded) = STATIC.iter().find(|(n, _, _)| *n == name)?;
        if let Some(dir) = &self.theme_dir {
            if let Ok(bytes) = std::fs::read(dir.join("static").join(name)) {
                return Some((mime.to_string(), bytes));
            }
        }
        Some((mime.to_string(), embedded.as_bytes().to_vec()))
    }
}
