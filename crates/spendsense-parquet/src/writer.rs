//! [`TableWriter`]: one table as one Parquet file, written to any
//! [`std::io::Write`] in row groups of a fixed number of rows.
//!
//! Everything that goes into the file is a function of the rows and of the
//! metadata the caller gives: no timestamp, no host, no random id, so the
//! same rows make the same bytes. Row groups hold [`ROW_GROUP_ROWS`] rows
//! (the last one fewer) however the rows arrive, one by one or in batches of
//! any size, so the bytes do not depend on how the caller batched them
//! either. Memory is one row group: the rows being gathered, and the row
//! group being encoded, which goes to the writer when it is full.

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use spendsense_export::columns::{Table, Value};

use crate::{Error, TableBuilder};

/// Rows per row group, as pyarrow and parquet-rs choose by default: large
/// enough that a reader's per-group costs vanish, small enough that one
/// group of the widest table (transactions) stays some tens of megabytes in
/// memory while it is encoded. Groups of 131,072 rows (DuckDB's size) made
/// the files 10% larger for 5% less peak memory at 20,000 profiles.
pub const ROW_GROUP_ROWS: usize = 1 << 20;

/// The zstd level of every column: level 3 (zstd's own default) gives most of
/// zstd's size gain over snappy at a small fraction of the time the higher
/// levels take.
pub const ZSTD_LEVEL: i32 = 3;

/// Writes one table's rows as a Parquet file to `W`; [`TableWriter::finish`]
/// writes the footer.
pub struct TableWriter<W: Write + Send> {
    rows: TableBuilder,
    row_group_rows: usize,
    writer: ArrowWriter<Recording<W>>,
    /// The first error `W` returned, kept whole (the encoder would turn it
    /// into text).
    failed: Arc<Mutex<Option<io::Error>>>,
}

impl<W: Write + Send> std::fmt::Debug for TableWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableWriter")
            .field("table", &self.rows.table().name)
            .field("buffered_rows", &self.rows.len())
            .field("row_group_rows", &self.row_group_rows)
            .finish_non_exhaustive()
    }
}

impl<W: Write + Send> TableWriter<W> {
    /// Starts `table`'s file on `out`, with `metadata` as the file's
    /// key-value metadata (in this order) and row groups of [`ROW_GROUP_ROWS`].
    pub fn new(
        table: &'static Table,
        out: W,
        metadata: &[(&str, &str)],
    ) -> Result<TableWriter<W>, Error> {
        TableWriter::with_row_group_rows(table, out, metadata, ROW_GROUP_ROWS)
    }

    /// [`TableWriter::new`] with row groups of `row_group_rows` rows (at least 1).
    pub fn with_row_group_rows(
        table: &'static Table,
        out: W,
        metadata: &[(&str, &str)],
        row_group_rows: usize,
    ) -> Result<TableWriter<W>, Error> {
        let row_group_rows = row_group_rows.max(1);
        let key_values = metadata
            .iter()
            .map(|(key, value)| KeyValue::new(key.to_string(), value.to_string()))
            .collect();
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(
                ZstdLevel::try_new(ZSTD_LEVEL).expect("level 3 is a zstd level"),
            ))
            .set_max_row_group_row_count(Some(row_group_rows))
            .set_max_row_group_bytes(None)
            .set_key_value_metadata(Some(key_values))
            .build();
        let rows = TableBuilder::new(table);
        let failed = Arc::new(Mutex::new(None));
        let out = Recording {
            inner: out,
            written: 0,
            failed: failed.clone(),
        };
        let writer = ArrowWriter::try_new(out, rows.schema().clone(), Some(properties));
        let writer = writer.map_err(|err| io_error(&failed).unwrap_or(Error::Parquet(err)))?;
        Ok(TableWriter {
            rows,
            row_group_rows,
            writer,
            failed,
        })
    }

    /// Appends one row (see [`TableBuilder::push`]); a full row group is
    /// encoded and written.
    pub fn push(&mut self, values: &[Value<'_>]) -> Result<(), Error> {
        self.rows.push(values)?;
        if self.rows.len() >= self.row_group_rows {
            self.write_buffered()?;
        }
        Ok(())
    }

    /// Appends rows built elsewhere, e.g. on another thread, by a
    /// [`TableBuilder`] of the same table, after the rows pushed so far.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), Error> {
        if batch.schema() != *self.rows.schema() {
            return Err(Error::Schema {
                table: self.rows.table().name,
            });
        }
        self.write_buffered()?;
        let written = self.writer.write(batch);
        written.map_err(|err| self.error(err))
    }

    /// Writes the last row group and the footer; returns `W` and the size
    /// of the file written to it.
    pub fn finish(mut self) -> Result<(W, u64), Error> {
        self.write_buffered()?;
        let failed = self.failed.clone();
        match self.writer.into_inner() {
            Ok(out) => Ok((out.inner, out.written)),
            Err(err) => Err(io_error(&failed).unwrap_or(Error::Parquet(err))),
        }
    }

    /// Hands the pushed rows to the encoder.
    fn write_buffered(&mut self) -> Result<(), Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let batch = self.rows.finish();
        let written = self.writer.write(&batch);
        written.map_err(|err| self.error(err))
    }

    /// The error to report for `err`: the writer's own, when it failed.
    fn error(&self, err: ParquetError) -> Error {
        io_error(&self.failed).unwrap_or(Error::Parquet(err))
    }
}

/// The first error the writer returned, if it returned one.
fn io_error(failed: &Mutex<Option<io::Error>>) -> Option<Error> {
    let mut failed = failed.lock().unwrap_or_else(PoisonError::into_inner);
    failed.take().map(Error::Io)
}

/// `W`, counting the bytes it takes and keeping the first error it returns
/// for [`TableWriter`] to report as it is (the encoder gets one of the same
/// kind and text).
struct Recording<W> {
    inner: W,
    written: u64,
    failed: Arc<Mutex<Option<io::Error>>>,
}

impl<W> Recording<W> {
    fn keep(&self, err: io::Error) -> io::Error {
        let copy = io::Error::new(err.kind(), err.to_string());
        let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
        failed.get_or_insert(err);
        copy
    }
}

impl<W: Write> Write for Recording<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf).map_err(|err| self.keep(err))?;
        self.written += written as u64;
        Ok(written)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf).map_err(|err| self.keep(err))?;
        self.written += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(|err| self.keep(err))
    }
}
