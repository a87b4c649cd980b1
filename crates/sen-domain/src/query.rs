//! Search conditions shared by the database search and the full-text index.

/// One `fq`-style condition: a field, the values any of which match, negation.
#[derive(Debug, Clone)]
pub struct Filter {
    pub field: FilterField,
    /// Any of these values matches.
    pub values: Vec<String>,
    pub negate: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Organization,
    OwnerOrg,
    Groups,
    Tags,
    ResFormat,
    LicenseId,
    AccessLevel,
    DataClass,
    Name,
    Id,
    Type,
    State,
    /// The publishing organisation's kind (ministry, province, …).
    OrganizationKind,
    /// A year the data covers (temporal coverage, else the year it was created).
    Year,
    /// `values` holds `[from, to]`, either may be `*`.
    MetadataModified,
    MetadataCreated,
}
