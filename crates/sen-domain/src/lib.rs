//! Sen's domain: the vocabulary of the catalogue and the rules that hold whatever
//! the storage or the protocol. No I/O happens here.

pub mod access;
pub mod error;
pub mod fold;
pub mod names;
pub mod org;
pub mod query;
pub mod time;

pub use access::{AccessLevel, DataClass};
pub use error::{Error, ErrorKind, Msg, Result};
pub use org::{Capacity, OrgKind};
