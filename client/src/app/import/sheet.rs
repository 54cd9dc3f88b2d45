//! Reading a spreadsheet into header and rows of text: CSV (comma,
//! semicolon or tab, UTF-8 with or without a byte-order mark) or XLSX (the
//! first sheet; dates and whole numbers as people typed them).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use contract::screens::import::MAX_ROWS;

/// A file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Why a file could not be read, in words for the person who chose it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SheetError {
    #[error("The file is empty.")]
    Empty,
    #[error("The file has {0} rows; import at most {MAX_ROWS} at a time (split the file).")]
    TooLong(usize),
    #[error("The file is not UTF-8 text: save it as \"CSV UTF-8\" (or as .xlsx) and choose it again.")]
    NotUtf8,
    #[error("The file could not be read as CSV: {0}")]
    Csv(String),
    #[error("The file could not be read as an Excel workbook (.xlsx): {0}")]
    Xlsx(String),
}

/// Reads `bytes` by their content (XLSX files are zip archives), else by
/// the name.
pub fn read(name: &str, bytes: &[u8]) -> Result<Sheet, SheetError> {
    let rows = if bytes.starts_with(b"PK\x03\x04") || name.to_lowercase().ends_with(".xlsx") {
        xlsx_rows(bytes)?
    } else {
        csv_rows(bytes)?
    };
    let mut rows = rows
        .into_iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()));
    let headers: Vec<String> = rows
        .next()
        .ok_or(SheetError::Empty)?
        .into_iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let width = headers.len();
    let rows: Vec<Vec<String>> = rows
        .map(|mut r| {
            r.resize(width, String::new());
            r
        })
        .collect();
    if rows.is_empty() {
        return Err(SheetError::Empty);
    }
    if rows.len() > MAX_ROWS {
        return Err(SheetError::TooLong(rows.len()));
    }
    Ok(Sheet { headers, rows })
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| SheetError::NotUtf8)?;
    let first_line = text.lines().next().unwrap_or_default();
    // The separator the header uses most: spreadsheets in comma-decimal
    // countries write semicolons.
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    reader
        .records()
        .take(MAX_ROWS + 2)
        .map(|r| {
            r.map(|record| record.iter().map(str::to_owned).collect())
                .map_err(|e| SheetError::Csv(e.to_string()))
        })
        .collect()
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Xlsx(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| SheetError::Xlsx("it has no sheet".into()))?
        .map_err(|e| SheetError::Xlsx(e.to_string()))?;
    Ok(range
        .rows()
        .take(MAX_ROWS + 2)
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
}

/// A cell as a person would have typed it: `9845011111`, not
/// `9845011111.0`; a date cell as `1990-04-21`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| d.date().format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| dt.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_a_bom_semicolons_and_blank_lines_reads() {
        let file = "\u{feff}Name;Mobile;DOB\n\nMeera Rao;98450 11111;21/04/1990\nRavi;98450 22222\n";
        let sheet = read("patients.csv", file.as_bytes()).expect("reads");
        assert_eq!(sheet.headers, ["Name", "Mobile", "DOB"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(
            sheet.rows[1],
            ["Ravi", "98450 22222", ""],
            "short rows are padded"
        );
    }

    #[test]
    fn unreadable_files_say_what_to_do() {
        assert_eq!(read("a.csv", b""), Err(SheetError::Empty));
        assert_eq!(read("a.csv", b"Name,Mobile\n"), Err(SheetError::Empty));
        assert_eq!(read("a.csv", b"Name\n\xff\xfe\n"), Err(SheetError::NotUtf8));
        assert!(matches!(
            read("a.xlsx", b"PK\x03\x04 not a zip"),
            Err(SheetError::Xlsx(_))
        ));
    }

    #[test]
    fn whole_numbers_and_dates_read_as_typed() {
        assert_eq!(cell_text(&Data::Float(9845011111.0)), "9845011111");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
