//! Reading back the PDFs the product writes, with poppler's tools.

/// The text of a PDF, laid out as printed (`pdftotext -layout`).
pub fn pdf_text(pdf: &str) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf, "-"])
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How many images a PDF holds, as `pdfimages -list` (poppler) lists them:
/// an image's transparency is a second entry ("smask"), not counted.
pub fn printed_images(pdf: &str) -> usize {
    let out = std::process::Command::new("pdfimages")
        .args(["-list", pdf])
        .output()
        .expect("pdfimages (poppler-utils) must be installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter(|line| line.split_whitespace().nth(2) == Some("image"))
        .count()
}
