//! `recall export`: JSON, CSV or Anki, to stdout or a file.

use std::io::Write;

use super::{Context, selection, today};
use crate::cli::{ExportArgs, ExportFormat};
use crate::error::{Error, Result};
use crate::export;

pub fn run(context: &Context, args: &ExportArgs, stdout: &mut impl Write) -> Result<()> {
    let store = context.open()?;
    let (now, _) = today(&store)?;
    let selection = selection(&store, &args.deck, &args.section)?;
    let (mut file, name) = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
            (
                Some(std::io::BufWriter::with_capacity(1 << 20, file)),
                path.display().to_string(),
            )
        }
        None => (None, "<stdout>".to_string()),
    };
    let out: &mut dyn Write = match &mut file {
        Some(file) => file,
        None => stdout,
    };
    let io = |e: std::io::Error| Error::io(std::path::Path::new(&name), e);
    match args.format {
        ExportFormat::Json => {
            super::print_warnings_list(export::json(&store, &selection, now, out)?);
        }
        ExportFormat::Csv => export::csv(&store, &selection, out).map_err(io)?,
        ExportFormat::Anki => export::anki(&store, &selection, out).map_err(io)?,
    }
    out.flush().map_err(io)
}
