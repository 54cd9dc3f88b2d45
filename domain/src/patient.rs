//! Patient value types (the enumerations the database also checks).

#[macro_export]
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(
                #[serde(rename = $text)]
                #[cfg_attr(feature = "openapi", schema(rename = $text))]
                $variant
            ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }

            /// How screens and prints show it: "female" as "Female",
            /// "root_canal" as "Root canal". One spelling everywhere.
            pub fn title(self) -> String {
                $crate::text::words(self.as_str())
            }
        }
    };
}
pub(crate) use crate::string_enum;

string_enum!(
    Gender { Male => "male", Female => "female", Other => "other", Undisclosed => "undisclosed" }
);

string_enum!(
    /// Relationship of a family member to the main member of the mobile number.
    Relationship {
        SelfMember => "self", Spouse => "spouse", Child => "child",
        Parent => "parent", Sibling => "sibling", Other => "other",
    }
);

string_enum!(
    BloodGroup {
        APos => "A+", ANeg => "A-", BPos => "B+", BNeg => "B-",
        AbPos => "AB+", AbNeg => "AB-", OPos => "O+", ONeg => "O-", Unknown => "unknown",
    }
);

/// At most this many patients share one mobile number (a family).
pub const MAX_FAMILY_MEMBERS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerations_round_trip() {
        for r in Relationship::ALL {
            assert_eq!(Relationship::parse(r.as_str()), Some(*r));
        }
        assert_eq!(
            serde_json::to_string(&Relationship::SelfMember).ok(),
            Some("\"self\"".into())
        );
        assert_eq!(BloodGroup::parse("AB-"), Some(BloodGroup::AbNeg));
        assert_eq!(Gender::parse("M"), None);
    }
}
