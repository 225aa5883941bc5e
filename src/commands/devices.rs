//! `recall devices`: each device whose records the collection holds, with how many and when
//! the latest was made.

use std::io::Write;

use serde::Serialize;

use super::{Context, stdout_error, write_json};
use crate::cli::{FormatArgs, TextOrJson};
use crate::error::Result;
use crate::schedule::day::Timestamp;

#[derive(Serialize)]
struct Device {
    device: String,
    records: u64,
    last_record: Option<Timestamp>,
    this_device: bool,
}

pub(super) fn run(context: &Context, args: &FormatArgs, out: &mut impl Write) -> Result<()> {
    let store = context.open_existing()?;
    let devices: Vec<Device> = store
        .devices()
        .into_iter()
        .map(|(device, records, last_record)| Device {
            this_device: device == store.device(),
            device,
            records,
            last_record,
        })
        .collect();
    match args.format {
        TextOrJson::Json => write_json(out, &devices),
        TextOrJson::Text => {
            let width = devices
                .iter()
                .map(|d| d.device.len() + 2)
                .max()
                .unwrap_or(0)
                .max(6);
            writeln!(out, "{:<width$}  {:>8}  LAST RECORD", "DEVICE", "RECORDS").map_err(stdout_error)?;
            for device in &devices {
                let name = if device.this_device {
                    format!("{} *", device.device)
                } else {
                    device.device.clone()
                };
                let last = device
                    .last_record
                    .map_or("-".to_string(), |at| at.format("%Y-%m-%d %H:%M").to_string());
                writeln!(out, "{name:<width$}  {:>8}  {last}", device.records).map_err(stdout_error)?;
            }
            writeln!(out, "* this device").map_err(stdout_error)
        }
    }
}
