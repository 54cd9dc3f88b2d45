//! Bounded, trimmed text: the shape of every free-text field we store.

use crate::ValidationError;

/// Trims `raw` and checks it is non-empty and at most `max` characters.
pub fn required(field: &str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(ValidationError::new(field, "is required"));
    }
    bounded(field, value, max)
}

/// Trims `raw`; empty becomes `None`; longer than `max` characters is refused.
pub fn optional(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, ValidationError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => bounded(field, value, max).map(Some),
    }
}

/// [`required`] on one line: no line breaks or tabs either (names).
pub fn line(field: &str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let value = required(field, raw, max)?;
    if value.contains(['\n', '\t']) {
        return Err(ValidationError::new(field, "must be on one line"));
    }
    Ok(value)
}

fn bounded(field: &str, value: &str, max: usize) -> Result<String, ValidationError> {
    if value.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ValidationError::new(field, "contains control characters"));
    }
    Ok(value.to_owned())
}

/// A code as words a person reads: "root_canal" as "Root canal",
/// "clinic_name" as "Clinic name".
pub fn words(code: &str) -> String {
    let words = code.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Longest person or clinic name we accept.
pub const NAME_MAX: usize = 120;
/// Longest short free-text field (titles, reasons).
pub const SHORT_TEXT_MAX: usize = 500;
/// Longest long free-text field (notes, narratives).
pub const LONG_TEXT_MAX: usize = 10_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_trims_and_rejects_blank() {
        assert_eq!(required("name", "  Asha ", 10).as_deref(), Ok("Asha"));
        assert_eq!(
            required("name", "   ", 10).map_err(|e| e.message),
            Err("Name is required".into())
        );
    }

    #[test]
    fn bounds_count_characters_not_bytes() {
        // Devanagari: 4 characters, 12 bytes.
        assert!(required("name", "आशा ", 4).is_ok());
        assert!(required("name", "abcde", 4).is_err());
    }

    #[test]
    fn optional_blank_is_none_and_control_chars_are_refused() {
        assert_eq!(optional("n", Some("  "), 5), Ok(None));
        assert!(optional("n", Some("a\u{0}b"), 5).is_err());
    }
}
