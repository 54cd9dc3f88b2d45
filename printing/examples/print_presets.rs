//! Writes a sample prescription in every preset, to look at:
//!
//! ```text
//! cargo run -p printing --example print_presets -- OUTDIR
//! ```
//!
//! gives `OUTDIR/classic.pdf`, `modern.pdf` and `minimal.pdf` and, when
//! poppler's `pdftoppm` is installed, a PNG of each one's first page.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use printing::prescription_pdf;

#[path = "../tests/sample.rs"]
mod sample;
use contract::print::{Preset, PrintLayout};
use sample::sample_data;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: print_presets OUTDIR");
        return ExitCode::from(2);
    };
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("print_presets: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let data = sample_data(5);
    for preset in Preset::ALL {
        let pdf = prescription_pdf(&data, &PrintLayout::from_preset(*preset))?;
        let path = dir.join(format!("{}.pdf", preset.as_str()));
        std::fs::write(&path, &pdf)?;
        println!("{} ({} bytes)", path.display(), pdf.len());
        if let Some(png) = first_page_png(&path)? {
            println!("{}", png.display());
        }
    }
    Ok(())
}

/// Renders page 1 with `pdftoppm` at 60 dpi; `None` when it is not
/// installed.
fn first_page_png(pdf: &Path) -> Result<Option<PathBuf>, Box<dyn std::error::Error>> {
    let stem = pdf.with_extension("");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-singlefile"])
        .arg(pdf)
        .arg(&stem)
        .status();
    match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
        Ok(s) if !s.success() => Err(format!("pdftoppm failed on {}", pdf.display()).into()),
        Ok(_) => Ok(Some(stem.with_extension("png"))),
    }
}
