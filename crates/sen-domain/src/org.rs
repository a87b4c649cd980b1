//! Organisation kinds and membership capacities.

/// What kind of publisher an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgKind {
    Ministry,
    Province,
    Agency,
    Department,
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        Self::Ministry,
        Self::Province,
        Self::Agency,
        Self::Department,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ministry => "ministry",
            Self::Province => "province",
            Self::Agency => "agency",
            Self::Department => "department",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A member's role in an organisation or topic, in increasing power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Capacity {
    Member,
    Editor,
    Admin,
}

impl Capacity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "member" => Some(Self::Member),
            "editor" => Some(Self::Editor),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}
