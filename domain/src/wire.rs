//! OpenAPI schemas of the text fields requests share: the same rules as
//! the `parse` and `check` functions, stated once for the description.
//! (Patterns are ECMA-262, the dialect JSON Schema validators use.)

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

/// One line of text with no control characters.
const LINE: &str = r"^[^\u0000-\u001f\u007f-\u009f]*$";
/// A line with at least one visible character.
const NAME: &str =
    r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$";
/// Text that may hold line breaks and tabs but no other control character.
const TEXT: &str = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$";
/// What `Email::parse` accepts (before lower-casing).
const EMAIL: &str = r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{0,62}[A-Za-z0-9!#$%&'*+/=?^_`{|}~-])?@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";
/// Three of: lower case, upper case, digits, symbols (ASCII here; the
/// server also counts letters of other scripts).
const PASSWORD: &str = r"^(?:(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])|(?=.*[a-z])(?=.*[A-Z])(?=.*[!-/:-@\[-`{-~])|(?=.*[a-z])(?=.*[0-9])(?=.*[!-/:-@\[-`{-~])|(?=.*[A-Z])(?=.*[0-9])(?=.*[!-/:-@\[-`{-~])).*$";
const LICENCE: &str = r"^[A-Za-z0-9/.-]{3,40}$";

fn string(nullable: bool, min: Option<usize>, max: usize, pattern: &str) -> RefOr<Schema> {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .min_length(min)
        .max_length(Some(max))
        .pattern(Some(pattern))
        .into()
}

/// A person's or clinic's name, or a speciality: 1-120 characters, one line.
pub fn name() -> RefOr<Schema> {
    string(false, Some(1), 120, NAME)
}

/// [`name`], or null to leave it unchanged.
pub fn name_or_null() -> RefOr<Schema> {
    string(true, Some(1), 120, NAME)
}

/// Up to 120 characters on one line (blank means none), or null.
pub fn line_or_null() -> RefOr<Schema> {
    string(true, None, 120, LINE)
}

/// Up to 120 characters, line breaks allowed, or null.
pub fn short_text_or_null() -> RefOr<Schema> {
    string(true, None, 120, TEXT)
}

/// Up to 500 characters, line breaks allowed, or null.
pub fn text_or_null() -> RefOr<Schema> {
    string(true, None, 500, TEXT)
}

pub fn email() -> RefOr<Schema> {
    string(false, None, 254, EMAIL)
}

/// A new password: 10-128 characters mixing three kinds; it must not
/// contain the name part of the account's e-mail (checked by the server).
pub fn new_password() -> RefOr<Schema> {
    string(false, Some(10), 128, PASSWORD)
}

/// A licence (registration) number: 3-40 letters, digits, '/', '-', '.'.
pub fn licence() -> RefOr<Schema> {
    string(false, Some(3), 40, LICENCE)
}

/// [`licence`], or null.
pub fn licence_or_null() -> RefOr<Schema> {
    string(true, Some(3), 40, LICENCE)
}
