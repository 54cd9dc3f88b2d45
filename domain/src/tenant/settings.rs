//! A clinic's settings: what prescriptions print and the local formats.

use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ToothNotation {
    #[default]
    Fdi,
    Universal,
    Palmer,
}

/// Clinic settings printed on prescriptions and used for local formats.
/// Nothing is hard-wired to one country: currency, phone region and tooth
/// notation are chosen here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TenantSettings {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::line_or_null))]
    pub clinic_name: Option<String>,
    /// In a change, `""` clears the address.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::text_or_null))]
    pub address: Option<String>,
    /// In a change, `""` clears the phone number.
    #[cfg_attr(feature = "openapi", schema(pattern = r#"^(\+?[0-9]{6,15})?$"#))]
    pub phone: Option<String>,
    /// A `data:image/png;base64,...` or `data:image/jpeg;base64,...` URL
    /// of at most 1 MB of image; in a change, `""` removes the logo.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1398124,
            pattern = r#"^(data:image/png;base64,iVBORw0KGgo[A-Za-z0-9+/]*={0,2}|data:image/jpeg;base64,/9j/[A-Za-z0-9+/]*={0,2})?$"#
        )
    )]
    pub logo: Option<String>,
    /// ISO 4217 code of a currency the product counts in
    /// (`domain::money::Currency`), e.g. `INR`; any letter case.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r#"^([Ii][Nn][Rr]|[Uu][Ss][Dd]|[Ee][Uu][Rr]|[Gg][Bb][Pp]|[Aa][Ee][Dd]|[Ss][Aa][Rr]|[Qq][Aa][Rr]|[Kk][Ww][Dd]|[Bb][Hh][Dd]|[Oo][Mm][Rr]|[Ll][Kk][Rr]|[Nn][Pp][Rr]|[Bb][Dd][Tt]|[Pp][Kk][Rr]|[Ss][Gg][Dd]|[Mm][Yy][Rr]|[Aa][Uu][Dd]|[Cc][Aa][Dd]|[Jj][Pp][Yy]|[Kk][Ee][Ss]|[Zz][Aa][Rr])$"#
        )
    )]
    pub currency: Option<String>,
    /// Calling code used when a phone number is typed without one, e.g. `91`.
    #[cfg_attr(feature = "openapi", schema(pattern = r#"^\+?[1-9][0-9]{0,2}$"#))]
    pub default_country_calling_code: Option<String>,
    pub tooth_notation: Option<ToothNotation>,
    /// Minutes of inactivity before the desktop app signs out (5-240).
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 240))]
    pub idle_timeout_minutes: Option<u32>,
}

/// Largest logo image (its bytes, before base64) we keep in settings; it
/// is printed on every prescription.
pub const LOGO_MAX_BYTES: usize = 1024 * 1024;
/// The base64 of what the images start with: PNG's signature, JPEG's SOI.
const IMAGE_STARTS: [(&str, &str); 2] = [("png", "iVBORw0KGgo"), ("jpeg", "/9j/")];

impl TenantSettings {
    /// How the clinic writes money: its currency (INR when unset) in its
    /// region's number style.
    pub fn money_format(&self) -> crate::money::MoneyFormat {
        crate::money::MoneyFormat::new(
            crate::money::Currency::of_setting(self.currency.as_deref()),
            crate::money::NumberStyle::for_calling_code(self.default_country_calling_code.as_deref()),
        )
    }

    /// Normalises and checks every field; returns all problems at once.
    pub fn validate(self) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<Option<String>, ValidationError>| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                None
            })
        };
        let clinic_name = keep(text::optional(
            "clinic_name",
            self.clinic_name.as_deref(),
            text::NAME_MAX,
        ));
        // In a change, an empty address or phone clears it.
        let address = keep(match self.address.as_deref() {
            Some(raw) if raw.trim().is_empty() => Ok(Some(String::new())),
            raw => text::optional("address", raw, text::SHORT_TEXT_MAX),
        });
        let phone = keep(match self.phone.as_deref() {
            Some(raw) if raw.trim().is_empty() => Ok(Some(String::new())),
            raw => raw
                .map(|p| crate::phone::PhoneNumber::parse(p).map(|p| p.as_str().to_owned()))
                .transpose(),
        });
        let logo = keep(
            self.logo
                .map(|l| if l.is_empty() { Ok(l) } else { validate_logo(l) })
                .transpose(),
        );
        let currency = keep(self.currency.map(validate_currency).transpose());
        let default_country_calling_code = keep(
            self.default_country_calling_code
                .map(validate_calling_code)
                .transpose(),
        );
        if let Some(minutes) = self.idle_timeout_minutes
            && !(5..=240).contains(&minutes)
        {
            errors.push(ValidationError::new(
                "idle_timeout_minutes",
                "must be between 5 and 240",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            clinic_name,
            address,
            phone,
            logo,
            currency,
            default_country_calling_code,
            tooth_notation: self.tooth_notation,
            idle_timeout_minutes: self.idle_timeout_minutes,
        })
    }
}

fn validate_logo(logo: String) -> Result<String, ValidationError> {
    let (head, data) = logo.split_once(',').unwrap_or_default();
    if data.len() / 4 * 3 > LOGO_MAX_BYTES {
        return Err(ValidationError::new("logo", "must be at most 1 MB"));
    }
    // The bytes must be the image the URL says (a renamed GIF or PDF is not).
    let is_what_it_says = IMAGE_STARTS
        .iter()
        .any(|(kind, start)| head == format!("data:image/{kind};base64") && data.starts_with(start));
    if !is_what_it_says {
        return Err(ValidationError::new("logo", "must be a PNG or JPEG image"));
    }
    let base64 = data.trim_end_matches('=');
    if data.len() - base64.len() > 2
        || !base64
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
    {
        return Err(ValidationError::new(
            "logo",
            "must be a PNG or JPEG image encoded as base64",
        ));
    }
    Ok(logo)
}

/// Only a currency the product can count in (its minor digits known).
fn validate_currency(raw: String) -> Result<String, ValidationError> {
    crate::money::Currency::parse(&raw).map(|c| c.code().to_owned())
}

fn validate_calling_code(raw: String) -> Result<String, ValidationError> {
    let code = raw.trim().trim_start_matches('+').to_owned();
    if (1..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit()) && !code.starts_with('0') {
        Ok(code)
    } else {
        Err(ValidationError::new(
            "default_country_calling_code",
            "must be 1 to 3 digits, e.g. 91",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logo_is_an_image_in_base64_and_nothing_else() {
        assert!(validate_logo("data:image/png;base64,iVBORw0KGgo=".into()).is_ok());
        assert!(validate_logo("data:image/jpeg;base64,/9j/4AAQ".into()).is_ok());
        let largest = format!(
            "data:image/png;base64,iVBORw0KGgo{}",
            "A".repeat(LOGO_MAX_BYTES / 3 * 4 - 11)
        );
        assert!(validate_logo(largest.clone()).is_ok(), "1 MB fits");
        assert!(validate_logo(format!("{largest}AAAA")).is_err(), "more does not");
        for bad in [
            "data:image/png;base64,/9j/4AAQ",
            "data:image/jpeg;base64,iVBORw0KGgo=",
            "data:image/gif;base64,R0lGOD",
            "data:image/png;base64,iVBOR\u{0}w0",
            "data:image/jpeg;base64,ab cd",
            "data:image/png;base64,abc===",
        ] {
            assert!(validate_logo(bad.into()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn settings_validation_collects_every_problem() {
        let settings = TenantSettings {
            currency: Some("rupees".into()),
            logo: Some("http://example.invalid/logo.png".into()),
            idle_timeout_minutes: Some(1),
            ..Default::default()
        };
        let errors = settings.validate().expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["logo", "currency", "idle_timeout_minutes"]);
        let ok = TenantSettings {
            currency: Some("inr".into()),
            ..Default::default()
        };
        assert_eq!(ok.validate().map(|s| s.currency), Ok(Some("INR".into())));
    }
}
