//! Building blocks shared by the screens.

pub mod field;
pub mod header;
pub mod layout;
pub mod states;
