//! The public web pages: server-rendered HTML from minijinja templates
//! embedded in the binary (an operator may override any template or static
//! file from a theme directory), every string from the message files, in
//! Vietnamese by default or English. Reading and searching work without
//! JavaScript; pages show only what an anonymous visitor may see until
//! sign-in arrives.

mod account;
mod admin;
mod chart;
mod feedback;
mod follow;
mod forms;
mod harvest;
mod hub;
mod info;
pub(crate) mod inventory;
mod manage;
mod markdown;
mod preview;
mod publish;
mod render;
mod requests;
mod routes;
mod session;
mod sharing;
mod table;

pub use render::Pages;
pub use routes::{fallback, routes};
pub(crate) use session::actor as visitor;
