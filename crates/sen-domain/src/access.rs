//! Access levels and data classes from the Law on Data (60/2024/QH15).

use serde::{Deserialize, Serialize};

/// Who may see a dataset: open (public), shared between state agencies (dùng chung),
/// or internal to the owning agency (dùng riêng).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AccessLevel {
    #[default]
    Open,
    Shared,
    Internal,
}

impl AccessLevel {
    pub const ALL: [AccessLevel; 3] = [Self::Open, Self::Shared, Self::Internal];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Shared => "shared",
            Self::Internal => "internal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// CKAN's `private` flag: anything not open is private.
    pub fn is_private(self) -> bool {
        self != Self::Open
    }

    /// The EU access-right authority code DCAT-AP uses.
    pub fn dcat_access_right(self) -> &'static str {
        match self {
            Self::Open => "PUBLIC",
            Self::Shared => "RESTRICTED",
            Self::Internal => "NON_PUBLIC",
        }
    }
}

/// Whether data is ordinary, important (quan trọng) or core (cốt lõi).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DataClass {
    #[default]
    Ordinary,
    Important,
    Core,
}

impl DataClass {
    pub const ALL: [DataClass; 3] = [Self::Ordinary, Self::Important, Self::Core];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ordinary => "ordinary",
            Self::Important => "important",
            Self::Core => "core",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The law forbids opening important or core data.
    pub fn allows(self, level: AccessLevel) -> bool {
        self == Self::Ordinary || level != AccessLevel::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn important_and_core_data_can_never_be_open() {
        for class in DataClass::ALL {
            for level in AccessLevel::ALL {
                let expected = !(class != DataClass::Ordinary && level == AccessLevel::Open);
                assert_eq!(class.allows(level), expected, "{class:?} {level:?}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for l in AccessLevel::ALL {
            assert_eq!(AccessLevel::parse(l.as_str()), Some(l));
        }
        for c in DataClass::ALL {
            assert_eq!(DataClass::parse(c.as_str()), Some(c));
        }
        assert_eq!(AccessLevel::parse("public"), None);
    }
}
