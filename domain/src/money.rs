//! Money in integer minor units of the clinic's currency (paise for INR,
//! cents for USD, fils for KWD), never floats; typed amounts are parsed
//! exactly and amounts are shown per the clinic's number style
//! (`₹1,25,000.00` in India, `$125,000.00`, `125.000,00 €`).

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// The largest amount kept anywhere (a line, an invoice, a payment):
/// 10^13 minor units (₹1,00,00,00,00,000.00). Far beyond any clinic bill,
/// and small enough that 1000 lines of it cannot overflow an `i64`.
pub const AMOUNT_MAX_MINOR: i64 = 10_000_000_000_000;

/// Currencies a clinic may choose: ISO 4217 code, minor digits, symbol.
/// The settings' OpenAPI pattern lists the same codes.
pub const CURRENCIES: &[(&str, u8, &str)] = &[
    ("INR", 2, "₹"),
    ("USD", 2, "$"),
    ("EUR", 2, "€"),
    ("GBP", 2, "£"),
    ("AED", 2, "AED "),
    ("SAR", 2, "SAR "),
    ("QAR", 2, "QAR "),
    ("KWD", 3, "KWD "),
    ("BHD", 3, "BHD "),
    ("OMR", 3, "OMR "),
    ("LKR", 2, "Rs "),
    ("NPR", 2, "Rs "),
    ("BDT", 2, "৳"),
    ("PKR", 2, "Rs "),
    ("SGD", 2, "S$"),
    ("MYR", 2, "RM"),
    ("AUD", 2, "A$"),
    ("CAD", 2, "C$"),
    ("JPY", 0, "¥"),
    ("KES", 2, "KSh "),
    ("ZAR", 2, "R "),
];

/// A currency the product knows how to count in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    code: &'static str,
    digits: u8,
    symbol: &'static str,
}

impl Default for Currency {
    /// Clinics that never chose one count in rupees (the first market).
    fn default() -> Self {
        Self {
            code: "INR",
            digits: 2,
            symbol: "₹",
        }
    }
}

impl Currency {
    pub fn parse(code: &str) -> Result<Self, ValidationError> {
        let upper = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _, _)| *c == upper)
            .map(|&(code, digits, symbol)| Self { code, digits, symbol })
            .ok_or_else(|| {
                ValidationError::new("currency", "must be a supported currency code such as INR or USD")
            })
    }

    /// The clinic's currency from its settings (`None` or unknown: INR).
    pub fn of_setting(code: Option<&str>) -> Self {
        code.and_then(|c| Self::parse(c).ok()).unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        self.code
    }

    /// Digits after the decimal point: 2 for INR, 0 for JPY, 3 for KWD.
    pub fn minor_digits(self) -> u8 {
        self.digits
    }

    pub fn symbol(self) -> &'static str {
        self.symbol
    }

    fn scale(self) -> i64 {
        10i64.pow(u32::from(self.digits))
    }
}

/// How numbers are grouped and where the decimal point goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberStyle {
    /// 1,25,000.00: thousands, then lakhs and crores (India).
    Indian,
    /// 125,000.00
    #[default]
    Western,
    /// 125.000,00 (most of continental Europe).
    Continental,
}

/// Calling codes whose countries write 1.234,56.
const CONTINENTAL: &[&str] = &[
    "49", "33", "34", "39", "31", "32", "43", "351", "30", "45", "46", "47", "48", "90", "55", "62",
];

impl NumberStyle {
    /// The style of the clinic's region, from its default calling code
    /// (`91` India; none: India, the first market).
    pub fn for_calling_code(code: Option<&str>) -> Self {
        let code = code.map(|c| c.trim().trim_start_matches('+')).unwrap_or("91");
        match code {
            "91" | "977" | "880" | "92" | "94" => Self::Indian,
            c if CONTINENTAL.contains(&c) => Self::Continental,
            _ => Self::Western,
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Self::Continental => ('.', ','),
            Self::Indian | Self::Western => (',', '.'),
        }
    }
}

/// The clinic's way of writing money: its currency and number style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MoneyFormat {
    pub currency: Currency,
    pub style: NumberStyle,
}

impl MoneyFormat {
    pub fn new(currency: Currency, style: NumberStyle) -> Self {
        Self { currency, style }
    }

    /// `minor` as the clinic writes it: `₹1,25,000.00`, `-₹5.00`,
    /// `125.000,00 €`.
    pub fn format(self, minor: i64) -> String {
        let number = self.number(minor.unsigned_abs());
        let sign = if minor < 0 { "-" } else { "" };
        match self.style {
            NumberStyle::Continental => format!("{sign}{number} {}", self.currency.symbol().trim()),
            _ => format!("{sign}{}{number}", self.currency.symbol()),
        }
    }

    /// The number alone, as typed into a field: `1,25,000.00`.
    pub fn number(self, minor: u64) -> String {
        let digits = u32::from(self.currency.minor_digits());
        let scale = 10u64.pow(digits);
        let (group_sep, decimal) = self.style.separators();
        let whole = group(minor / scale, self.style, group_sep);
        if digits == 0 {
            whole
        } else {
            format!(
                "{whole}{decimal}{:0width$}",
                minor % scale,
                width = digits as usize
            )
        }
    }

    /// A stored amount as typed into a field, or empty when there is none
    /// (an unpriced medicine, a doctor without a fee).
    pub fn number_or_empty(self, minor: Option<i64>) -> String {
        minor.map(|m| self.number(m.unsigned_abs())).unwrap_or_default()
    }

    /// Like [`Self::parse`], but an empty field is no amount rather than
    /// an error.
    pub fn parse_optional(self, field: &str, text: &str) -> Result<Option<i64>, ValidationError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        self.parse(field, text).map(Some)
    }

    /// An amount typed by a person: digits with optional group separators
    /// and at most the currency's minor digits after the decimal mark
    /// ("1,25,000.5" is 12,500,050 paise). Negative, malformed, too
    /// precise ("12.345" rupees) or too large amounts are refused under
    /// `field`; nothing is rounded silently.
    pub fn parse(self, field: &str, text: &str) -> Result<i64, ValidationError> {
        let (group_sep, decimal) = self.style.separators();
        let bad = |why: &str| ValidationError::new(field, why);
        let raw: String = text
            .trim()
            .trim_start_matches(self.currency.symbol().trim())
            .trim_start_matches(self.currency.code())
            .chars()
            .filter(|c| *c != group_sep && !c.is_whitespace())
            .collect();
        if raw.starts_with('-') {
            return Err(bad("cannot be negative"));
        }
        let (whole, fraction) = raw.split_once(decimal).unwrap_or((&raw, ""));
        let digits = usize::from(self.currency.minor_digits());
        if (whole.is_empty() && fraction.is_empty())
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !fraction.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad("must be an amount such as 1,250.50"));
        }
        if fraction.len() > digits {
            return Err(bad(&match digits {
                0 => format!("{} has no fractions", self.currency.code()),
                n => format!("{} has at most {n} digits after the point", self.currency.code()),
            }));
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad("is too large"))?
        };
        let fraction: i64 = format!("{fraction:0<digits$}").parse().unwrap_or(0);
        whole
            .checked_mul(self.currency.scale())
            .and_then(|w| w.checked_add(fraction))
            .filter(|m| *m <= AMOUNT_MAX_MINOR)
            .ok_or_else(|| bad("is too large"))
    }
}

/// Groups `n` with `sep`: threes, or a three then twos in the Indian style.
fn group(n: u64, style: NumberStyle, sep: char) -> String {
    let digits = n.to_string();
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 2);
    for (i, c) in digits.chars().enumerate() {
        let left = len - i;
        let boundary = match style {
            NumberStyle::Indian => (left > 3 && (left - 3).is_multiple_of(2)) || left == 3,
            _ => left.is_multiple_of(3),
        };
        if i > 0 && boundary {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A stored amount (a price, a fee, a payment): 0 up to [`AMOUNT_MAX_MINOR`].
pub fn check_amount(field: &str, minor: i64) -> Result<i64, ValidationError> {
    if minor < 0 {
        Err(ValidationError::new(field, "cannot be negative"))
    } else if minor > AMOUNT_MAX_MINOR {
        Err(ValidationError::new(field, "is too large"))
    } else {
        Ok(minor)
    }
}

/// `quantity` at `unit_minor` each, exactly (checked, never wraps).
pub fn line_total(unit_minor: i64, quantity: i64) -> Result<i64, ValidationError> {
    check_amount("unit_price", unit_minor)?;
    unit_minor
        .checked_mul(quantity)
        .filter(|t| (0..=AMOUNT_MAX_MINOR).contains(t))
        .ok_or_else(|| ValidationError::new("total", "is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inr() -> MoneyFormat {
        MoneyFormat::new(Currency::default(), NumberStyle::Indian)
    }

    #[test]
    fn rupees_print_in_lakhs_and_crores() {
        let f = inr();
        assert_eq!(f.format(12_500_000), "₹1,25,000.00");
        assert_eq!(f.format(0), "₹0.00");
        assert_eq!(f.format(5), "₹0.05");
        assert_eq!(f.format(99_900), "₹999.00");
        assert_eq!(f.format(100_000), "₹1,000.00");
        assert_eq!(f.format(1_234_567_890), "₹1,23,45,678.90");
        assert_eq!(f.format(-50_000), "-₹500.00");
    }

    #[test]
    fn other_currencies_and_styles() {
        let usd = MoneyFormat::new(Currency::parse("usd").expect("known"), NumberStyle::Western);
        assert_eq!(usd.format(12_500_000), "$125,000.00");
        let eur = MoneyFormat::new(Currency::parse("EUR").expect("known"), NumberStyle::Continental);
        assert_eq!(eur.format(12_500_050), "125.000,50 €");
        let yen = MoneyFormat::new(Currency::parse("JPY").expect("known"), NumberStyle::Western);
        assert_eq!(yen.format(1500), "¥1,500");
        let kwd = MoneyFormat::new(Currency::parse("KWD").expect("known"), NumberStyle::Western);
        assert_eq!(kwd.format(1_500), "KWD 1.500");
        assert!(Currency::parse("XYZ").is_err());
        assert_eq!(NumberStyle::for_calling_code(Some("+91")), NumberStyle::Indian);
        assert_eq!(
            NumberStyle::for_calling_code(Some("49")),
            NumberStyle::Continental
        );
        assert_eq!(NumberStyle::for_calling_code(Some("1")), NumberStyle::Western);
    }

    #[test]
    fn typed_amounts_are_exact_or_refused() {
        let f = inr();
        assert_eq!(f.parse("fee", "1,25,000.5"), Ok(12_500_050));
        assert_eq!(f.parse("fee", "₹ 500"), Ok(50_000));
        assert_eq!(f.parse("fee", "0.10"), Ok(10));
        assert_eq!(f.parse("fee", ".5"), Ok(50));
        for bad in ["", "-5", "12.345", "1.2.3", "abc", "5e3", "99999999999999999999"] {
            let err = f.parse("fee", bad).expect_err(bad);
            assert_eq!(err.field, "fee", "{bad}");
        }
        let yen = MoneyFormat::new(Currency::parse("JPY").expect("known"), NumberStyle::Western);
        assert_eq!(yen.parse("p", "1,500"), Ok(1500));
        assert!(yen.parse("p", "1.5").is_err());
        let eur = MoneyFormat::new(Currency::parse("EUR").expect("known"), NumberStyle::Continental);
        assert_eq!(eur.parse("p", "1.250,75"), Ok(125_075));
        // Whatever is formatted parses back to itself.
        for minor in [0, 1, 99, 100, 12_345_678, AMOUNT_MAX_MINOR] {
            assert_eq!(f.parse("p", &f.format(minor)), Ok(minor), "{minor}");
            assert_eq!(eur.parse("p", &eur.number(minor as u64)), Ok(minor), "{minor}");
        }
    }

    #[test]
    fn totals_are_exact_and_bounded() {
        assert_eq!(line_total(1_999, 3), Ok(5_997));
        assert!(line_total(-1, 3).is_err());
        assert!(line_total(AMOUNT_MAX_MINOR, 2).is_err());
        assert!(line_total(i64::MAX, 1000).is_err());
        assert_eq!(
            check_amount("price", -1).map_err(|e| e.field),
            Err("price".to_owned())
        );
    }

    #[test]
    fn a_fee_is_read_and_shown_in_the_clinics_own_minor_units() {
        let money = |code: &str, style| MoneyFormat::new(Currency::parse(code).expect("currency"), style);
        let field = "consultation_fee_minor";
        let inr = money("INR", NumberStyle::Indian);
        assert_eq!(inr.parse_optional(field, "1,250.50"), Ok(Some(125_050)));
        assert_eq!(inr.number_or_empty(Some(125_050)), "1,250.50");
        // Yen have no minor unit and dinars three: nothing is times 100.
        let jpy = money("JPY", NumberStyle::Western);
        assert_eq!(jpy.parse_optional(field, "500"), Ok(Some(500)));
        assert_eq!(jpy.number_or_empty(Some(500)), "500");
        let kwd = money("KWD", NumberStyle::Western);
        assert_eq!(kwd.parse_optional(field, "2.5"), Ok(Some(2_500)));
        assert_eq!(kwd.number_or_empty(Some(2_500)), "2.500");
        assert_eq!(inr.parse_optional(field, "  "), Ok(None));
        assert_eq!(inr.number_or_empty(None), "");
        for bad in ["450.505", "-5", "abc"] {
            let refused = inr.parse_optional(field, bad).expect_err(bad);
            assert_eq!(refused.field, field, "{bad}");
        }
    }
}
