//! The catalogue's error type. Every error carries a kind (which decides the HTTP
//! status and the CKAN `__type`), a stable public code (documented in
//! `docs/errors.md`; clients may rely on it), and messages as translation keys
//! with arguments, so each surface renders them in the user's language.

use std::collections::BTreeMap;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Input failed validation; `fields` says which field and why.
    Validation,
    NotFound,
    /// The caller is known but not allowed, or not signed in where that is needed.
    Forbidden,
    SearchQuery,
    /// A uniqueness or reference rule of the store would break.
    Integrity,
    /// The request could not be read at all (bad JSON, unknown action, bad form).
    BadRequest,
    PayloadTooLarge,
    Internal,
}

/// A message to translate: a key in the message files and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    /// Stable, documented machine-readable code such as `dataset_not_found`.
    pub code: &'static str,
    pub message: Msg,
    /// Field name → messages, for validation errors.
    pub fields: BTreeMap<String, Vec<Msg>>,
}

impl Error {
    pub fn new(kind: ErrorKind, code: &'static str, message: Msg) -> Self {
        Self {
            kind,
            code,
            message,
            fields: BTreeMap::new(),
        }
    }

    pub fn not_found(code: &'static str, what: Msg) -> Self {
        Self::new(ErrorKind::NotFound, code, what)
    }

    pub fn forbidden(message: Msg) -> Self {
        Self::new(ErrorKind::Forbidden, "forbidden", message)
    }

    pub fn sign_in_required() -> Self {
        Self::new(
            ErrorKind::Forbidden,
            "authentication_required",
            Msg::new("error-sign-in-required"),
        )
    }

    pub fn bad_request(code: &'static str, message: Msg) -> Self {
        Self::new(ErrorKind::BadRequest, code, message)
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        // The detail goes to the log, never to the client.
        tracing::error!(%detail, "internal error");
        Self::new(ErrorKind::Internal, "internal", Msg::new("error-internal"))
    }

    /// A single-field validation error.
    pub fn field(field: impl Into<String>, message: Msg) -> Self {
        let mut fields = Validation::default();
        fields.add(field, message);
        fields.into_error()
    }

    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::NotFound
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code, self.message.key)?;
        for (field, msgs) in &self.fields {
            for m in msgs {
                write!(f, "; {field}: {}", m.key)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Collects field errors so a form or API call reports all of them at once.
#[derive(Debug, Default)]
pub struct Validation {
    fields: BTreeMap<String, Vec<Msg>>,
}

impl Validation {
    pub fn add(&mut self, field: impl Into<String>, message: Msg) {
        self.fields.entry(field.into()).or_default().push(message);
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn into_error(self) -> Error {
        Error {
            kind: ErrorKind::Validation,
            code: "invalid_fields",
            message: Msg::new("error-validation"),
            fields: self.fields,
        }
    }

    /// `Ok(())` when nothing was added.
    pub fn finish(self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }
}
