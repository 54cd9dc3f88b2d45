//! Allergy and contraindication alerts of a prescription's medicines: a
//! clinical rule, shared by the PC (the editor) and any other client.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The medicine contains or belongs to what the patient is allergic to.
    Allergy,
    /// A listed contraindication of the medicine is noted for the patient.
    Contraindication,
}

/// A warning shown next to a medicine line (the doctor decides).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicineAlert {
    pub item_index: usize,
    pub medicine_name: String,
    pub kind: AlertKind,
    pub message: String,
}

/// What a medicine is, for the alert check.
#[derive(Debug, Clone, Copy)]
pub struct MedicineFacts<'a> {
    pub name: &'a str,
    pub generic_name: Option<&'a str>,
    pub composition: &'a str,
    pub category: Option<&'a str>,
    pub contraindications: &'a [String],
}

/// The meaningful words of an allergy or contraindication ("Penicillin
/// allergy" -> "penicillin"), lower-case.
fn key_terms(raw: &str) -> Vec<String> {
    const NOISE: [&str; 8] = [
        "allergy",
        "allergic",
        "to",
        "hypersensitivity",
        "of",
        "and",
        "the",
        "drug",
    ];
    raw.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !NOISE.contains(&w.as_str()))
        .collect()
}

/// Alerts for one medicine line given the patient's allergies and notes.
/// An allergy matches when its key term appears in the medicine's name,
/// generic name, composition or category, or in one of its listed
/// contraindications ("penicillin" vs Amoxicillin's "penicillin allergy").
/// A contraindication matches when its key terms appear in the notes.
pub fn alerts_for(
    item_index: usize,
    medicine: MedicineFacts<'_>,
    allergies: &[String],
    patient_notes: &str,
) -> Vec<MedicineAlert> {
    let haystack = [
        Some(medicine.name),
        medicine.generic_name,
        Some(medicine.composition),
        medicine.category,
    ]
    .into_iter()
    .flatten()
    .chain(medicine.contraindications.iter().map(String::as_str))
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase();
    let mut out = Vec::new();
    for allergy in allergies {
        if key_terms(allergy).iter().any(|t| haystack.contains(t.as_str())) {
            out.push(MedicineAlert {
                item_index,
                medicine_name: medicine.name.to_owned(),
                kind: AlertKind::Allergy,
                message: format!("{} — patient is allergic to {}", medicine.name, allergy.trim()),
            });
        }
    }
    let notes = patient_notes.to_lowercase();
    for contra in medicine.contraindications {
        let terms = key_terms(contra);
        if !terms.is_empty()
            && !contra.to_lowercase().contains("allerg")
            && terms.iter().all(|t| notes.contains(t.as_str()))
        {
            out.push(MedicineAlert {
                item_index,
                medicine_name: medicine.name.to_owned(),
                kind: AlertKind::Contraindication,
                message: format!(
                    "{} — contraindicated in {}, noted for this patient",
                    medicine.name,
                    contra.trim()
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allergy_and_contraindication_alerts() {
        let contra = vec![
            "penicillin allergy".to_owned(),
            "infectious mononucleosis".to_owned(),
        ];
        let amox = MedicineFacts {
            name: "Amoxicillin 500",
            generic_name: Some("Amoxicillin"),
            composition: "Amoxicillin 500 mg",
            category: Some("Antibiotic"),
            contraindications: &contra,
        };
        let a = alerts_for(0, amox, &["Penicillin".into()], "");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].kind, AlertKind::Allergy);
        assert!(alerts_for(0, amox, &["Sulfa drugs".into()], "").is_empty());
        assert!(alerts_for(0, amox, &["amoxicillin allergy".into()], "").len() == 1);
        let c = alerts_for(2, amox, &[], "History of infectious mononucleosis in 2019");
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].kind, c[0].item_index), (AlertKind::Contraindication, 2));
        assert!(
            alerts_for(0, amox, &[], "penicillin allergy mentioned by mother").is_empty(),
            "allergy contraindications come from the allergy list"
        );
    }
}
