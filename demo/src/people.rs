//! 200 patients in families that share a mobile number.

use chrono::{Datelike, NaiveDate};
use serde_json::json;
use uuid::Uuid;

use crate::api::DemoPc;

const GIVEN: [&str; 24] = [
    "Aarav", "Ananya", "Vihaan", "Diya", "Arjun", "Ishita", "Kabir", "Meera", "Rohan", "Saanvi", "Aditya",
    "Kavya", "Farhan", "Zoya", "Joseph", "Mary", "Harpreet", "Simran", "Karthik", "Lakshmi", "Nikhil",
    "Pooja", "Rahul", "Sneha",
];
const FAMILY: [&str; 16] = [
    "Sharma",
    "Iyer",
    "Khan",
    "Reddy",
    "Singh",
    "Nair",
    "Gupta",
    "Das",
    "Mehta",
    "Pillai",
    "Joshi",
    "Fernandes",
    "Banerjee",
    "Kulkarni",
    "Rao",
    "Menon",
];
const MEMBERS: [(&str, u32); 5] = [
    ("self", 38),
    ("spouse", 35),
    ("child", 9),
    ("parent", 66),
    ("sibling", 31),
];

/// Queues the patients; returns their ids.
pub fn families(pc: &mut DemoPc, today: NaiveDate) -> Vec<Uuid> {
    let mut ids = Vec::with_capacity(200);
    let mut family = 0usize;
    while ids.len() < 200 {
        let size = 1 + family % 4;
        let surname = FAMILY[family % FAMILY.len()];
        let mobile = format!("+9198450{:05}", 10_000 + family * 7);
        for (member, (relationship, age)) in MEMBERS.iter().take(size).enumerate() {
            let given = GIVEN[(family * 5 + member * 3) % GIVEN.len()];
            let year = today.year() - *age as i32 - (family % 7) as i32;
            let birth = NaiveDate::from_ymd_opt(year, 1 + (family % 12) as u32, 1 + (member * 6) as u32)
                .unwrap_or(today);
            ids.push(pc.insert(
                "patients",
                json!({"first_name": given, "last_name": surname, "mobile_number": mobile,
                       "date_of_birth": birth.format("%Y-%m-%d").to_string(),
                       "gender": if (family + member).is_multiple_of(2) { "female" } else { "male" },
                       "relationship": relationship,
                       "allergies": if family.is_multiple_of(9) && member == 0 { json!(["penicillin"]) } else { json!([]) }}),
            ));
            if ids.len() == 200 {
                break;
            }
        }
        family += 1;
    }
    ids
}
