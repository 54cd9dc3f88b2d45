//! Patient search on the PC: any part of a name or of a mobile number
//! (three characters or more, through the trigram index), the start of a
//! first name for one or two letters, in name order, following every
//! change to a patient.

use client::Store;
use domain::ids::TenantId;
use serde_json::{Map, Value, json};
use uuid::Uuid;

fn patient(first: &str, last: &str, mobile: &str) -> Map<String, Value> {
    json!({"first_name": first, "last_name": last, "mobile_number": mobile, "date_of_birth": "1990-01-01",
           "gender": "female"})
    .as_object()
    .cloned()
    .unwrap_or_default()
}

fn names(store: &Store, query: &str) -> Vec<String> {
    store
        .search_patients(query, 50)
        .expect("search")
        .iter()
        .map(|p| p.full_name().trim().to_owned())
        .collect()
}

fn store() -> (tempfile::TempDir, Store, [Uuid; 3]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = client::store::StoreKey::from_hex(&"5c".repeat(32)).expect("key");
    let mut store = Store::open(dir.path(), TenantId::new(), &key).expect("open");
    let ids = [
        store
            .insert("patients", patient("Meera", "Rao", "+919845012345"))
            .expect("insert"),
        store
            .insert("patients", patient("Anita", "Rao", "+919845077777"))
            .expect("insert"),
        store
            .insert("patients", patient("Ravi", "Shankar", "+919900011111"))
            .expect("insert"),
    ];
    (dir, store, ids)
}

#[test]
fn any_part_of_a_name_or_number_finds_the_patient_in_name_order() {
    let (_dir, store, _) = store();
    assert_eq!(
        names(&store, "rao"),
        ["Anita Rao", "Meera Rao"],
        "any case, name order"
    );
    assert_eq!(
        names(&store, "eera r"),
        ["Meera Rao"],
        "across first and last name"
    );
    assert_eq!(names(&store, "12345"), ["Meera Rao"], "digits of the number");
    assert_eq!(
        names(&store, "+91 98450 12"),
        ["Meera Rao"],
        "the number as typed, spaced"
    );
    assert_eq!(
        names(&store, "Me"),
        ["Meera Rao"],
        "two letters: the start of a first name"
    );
    assert!(
        names(&store, "ao").is_empty(),
        "two letters do not search inside names"
    );
    assert!(
        names(&store, "\"Rao\" OR *").is_empty(),
        "search syntax is only text"
    );
    assert_eq!(names(&store, "").len(), 3, "an empty search lists everyone");
    assert_eq!(
        store.search_patients("rao", 1).expect("search").len(),
        1,
        "at most the limit"
    );
}

#[test]
fn the_search_follows_renames_new_numbers_and_deletions() {
    let (_dir, mut store, [meera, anita, _]) = store();
    store
        .update(
            "patients",
            meera,
            json!({"first_name": "Mira"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        )
        .expect("rename");
    assert!(names(&store, "Meera").is_empty());
    assert_eq!(names(&store, "Mira"), ["Mira Rao"]);
    store
        .update(
            "patients",
            anita,
            json!({"mobile_number": "+919811122233"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        )
        .expect("new number");
    assert!(names(&store, "77777").is_empty());
    assert_eq!(names(&store, "1122233"), ["Anita Rao"]);
    store.delete("patients", anita).expect("delete");
    assert_eq!(
        names(&store, "rao"),
        ["Mira Rao"],
        "a deleted patient is not found"
    );
}
