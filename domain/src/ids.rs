//! Typed identifiers. Ids are UUIDv7 made where the row is created (often
//! on a clinic PC, offline), so they sort by creation time and never need a
//! server round trip.

use crate::ValidationError;

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new time-ordered id.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            pub fn from_uuid(id: uuid::Uuid) -> Self {
                Self(id)
            }

            pub fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }

            /// Parses the canonical hyphenated form; the nil id is refused.
            pub fn parse(raw: &str) -> Result<Self, ValidationError> {
                let id = uuid::Uuid::parse_str(raw.trim()).map_err(|_| {
                    ValidationError::new(stringify!($name), "is not a valid id")
                })?;
                if id.is_nil() {
                    return Err(ValidationError::new(stringify!($name), "is not a valid id"));
                }
                Ok(Self(id))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

uuid_id!(
    /// A clinic organisation.
    TenantId
);
uuid_id!(
    /// A person who signs in to one clinic.
    UserId
);
uuid_id!(
    /// A doctor's professional record (linked to a user).
    DoctorId
);
uuid_id!(
    /// A patient of one clinic.
    PatientId
);
uuid_id!(
    /// One installation of the desktop app (a clinic PC).
    DeviceId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_and_refuses_garbage() {
        let id = PatientId::new();
        assert_eq!(PatientId::parse(&id.to_string()), Ok(id));
        assert!(PatientId::parse("not-a-uuid").is_err());
        assert!(PatientId::parse("00000000-0000-0000-0000-000000000000").is_err());
    }

    #[test]
    fn new_ids_are_time_ordered() {
        let a = UserId::new();
        let b = UserId::new();
        assert!(a < b);
    }
}
