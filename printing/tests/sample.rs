//! A filled-in prescription: the fixture of the PDF tests and of the
//! `print_presets` example (not part of the library).

use contract::print::PrintData;

/// A filled-in prescription for tests and the `print_presets` example:
/// a Devanagari patient name, a Tamil word in the address, and `items`
/// medicines (the first few with real names, the rest numbered).
pub fn sample_data(items: usize) -> PrintData {
    use contract::print::{PrintItem, PrintPatient};
    let known = [
        (
            "Amoxicillin 500 mg",
            "1 capsule",
            "1-0-1",
            "5 days",
            10,
            Some("After food"),
        ),
        (
            "Paracetamol 650 mg",
            "1 tablet",
            "1-1-1",
            "3 days",
            9,
            Some("Only if the fever is above 100 °F"),
        ),
        (
            "Pantoprazole 40 mg",
            "1 tablet",
            "1-0-0",
            "14 days",
            14,
            Some("Before breakfast, on an empty stomach"),
        ),
        ("Cetirizine 10 mg", "1 tablet", "0-0-1", "7 days", 7, None),
        (
            "Azithromycin 250 mg",
            "1 tablet",
            "1-0-0",
            "3 days",
            3,
            Some("One hour before food"),
        ),
    ];
    let items = (0..items)
        .map(|i| match known.get(i) {
            Some((medicine, dosage, frequency, duration, quantity, note)) => PrintItem {
                medicine: (*medicine).into(),
                dosage: (*dosage).into(),
                frequency: (*frequency).into(),
                duration: (*duration).into(),
                quantity: Some(*quantity),
                instructions: note.map(Into::into),
            },
            None => PrintItem {
                medicine: format!("Zinc 20 mg, pack {}", i + 1),
                dosage: "1 tablet".into(),
                frequency: "0-1-0".into(),
                duration: "10 days".into(),
                quantity: Some(10),
                instructions: Some("After lunch".into()),
            },
        })
        .collect();
    PrintData {
        clinic_name: "Sunrise Family Clinic".into(),
        clinic_address: "12, காந்தி Road, T. Nagar, Chennai 600017".into(),
        clinic_phone: Some("+91 44 2434 5678".into()),
        logo: None,
        doctor_name: "Dr. Meera Krishnan".into(),
        doctor_qualification: Some("MBBS, MD (General Medicine)".into()),
        doctor_specialization: Some("Consultant Physician".into()),
        licence_number: Some("KMC-12345".into()),
        office_name: "T. Nagar clinic".into(),
        prescription_number: "RX202611270042".into(),
        visit_date: "27 Nov 2026".into(),
        valid_until: "27 Dec 2026".into(),
        patient: PrintPatient {
            name: "अनिता शर्मा".into(),
            age: Some("34 years".into()),
            gender: "Female".into(),
            mobile: "+91 98450 12345".into(),
            blood_group: Some("B+".into()),
            allergies: vec!["Penicillin".into(), "Sulfa drugs".into()],
        },
        chief_complaint: Some("Fever and sore throat for three days, dry cough at night".into()),
        diagnosis: "Acute tonsillopharyngitis".into(),
        items,
        general_instructions: Some(
            "Drink plenty of warm fluids and rest. Gargle with warm salt water three times a day. \
             Return at once if breathing becomes difficult or the fever lasts beyond three days."
                .into(),
        ),
        follow_up_date: Some("2 Dec 2026".into()),
        printed_at: "27 Nov 2026, 10:42".into(),
        status: "active".into(),
    }
}
