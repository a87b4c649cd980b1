//! A small query builder that numbers `$N` placeholders, which both SQLite and
//! PostgreSQL accept (sqlx's own builder emits `?` for the Any driver).

use sqlx::any::AnyArguments;
use sqlx::query::{QueryAs, QueryScalar};
use sqlx::{Any, FromRow};

#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    Int(i64),
    Null,
}

#[derive(Debug, Default, Clone)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Bind>,
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            binds: Vec::new(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Bind>) -> &mut Self {
        self.binds.push(value.into());
        self.text.push_str(&format!("${}", self.binds.len()));
        self
    }

    /// Appends `(x, y, z)` placeholders; an empty list becomes `(NULL)` which matches nothing.
    pub fn bind_list<T: Into<Bind> + Clone>(&mut self, values: &[T]) -> &mut Self {
        if values.is_empty() {
            return self.push("(NULL)");
        }
        self.push("(");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v.clone());
        }
        self.push(")")
    }

    pub fn query_as<'q, T>(&'q self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as::<Any, T>(&self.text);
        for b in &self.binds {
            q = match b {
                Bind::Text(s) => q.bind(s.as_str()),
                Bind::Int(i) => q.bind(*i),
                Bind::Null => q.bind(None::<String>),
            };
        }
        q
    }

    pub fn scalar<'q, T>(&'q self) -> QueryScalar<'q, Any, T, AnyArguments<'q>>
    where
        T: sqlx::Type<Any> + for<'r> sqlx::Decode<'r, Any> + Send + Unpin,
        (T,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_scalar::<Any, T>(&self.text);
        for b in &self.binds {
            q = match b {
                Bind::Text(s) => q.bind(s.as_str()),
                Bind::Int(i) => q.bind(*i),
                Bind::Null => q.bind(None::<String>),
            };
        }
        q
    }

    pub fn execute_query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query::<Any>(&self.text);
        for b in &self.binds {
            q = match b {
                Bind::Text(s) => q.bind(s.as_str()),
                Bind::Int(i) => q.bind(*i),
                Bind::Null => q.bind(None::<String>),
            };
        }
        q
    }
}

impl From<String> for Bind {
    fn from(s: String) -> Self {
        Bind::Text(s)
    }
}
impl From<&String> for Bind {
    fn from(s: &String) -> Self {
        Bind::Text(s.clone())
    }
}
impl From<&str> for Bind {
    fn from(s: &str) -> Self {
        Bind::Text(s.to_string())
    }
}
impl From<i64> for Bind {
    fn from(i: i64) -> Self {
        Bind::Int(i)
    }
}
impl From<bool> for Bind {
    fn from(b: bool) -> Self {
        Bind::Int(b as i64)
    }
}
impl From<Option<String>> for Bind {
    fn from(s: Option<String>) -> Self {
        s.map_or(Bind::Null, Bind::Text)
    }
}
impl From<Option<&str>> for Bind {
    fn from(s: Option<&str>) -> Self {
        s.map_or(Bind::Null, |s| Bind::Text(s.to_string()))
    }
}
