//! Parsing on a thread of its own, handing items over in chunks: the store or index on the other side of the
//! channel then overlaps with parsing, and one channel operation moves a thousand records, not one.

use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Items per hand-over: fewer channel operations and wake-ups, while a chunk stays far below the memory
/// of a store transaction.
const CHUNK: usize = 1024;
/// Chunks in flight: enough to keep the consumer busy through a slow stretch of input.
const CHUNKS_IN_FLIGHT: usize = 8;

/// A parser running on its own thread. Receive chunks from [`ParserThread::chunks`] until the channel ends,
/// then [`ParserThread::join`]: only `join` tells a parser that finished from one that panicked, since both
/// end the channel.
pub struct ParserThread<T> {
    chunks: Receiver<Vec<T>>,
    handle: JoinHandle<Duration>,
}

/// The parser thread panicked: the items it had not handed over are lost, and the input was not read to its end.
#[derive(Debug, thiserror::Error)]
#[error("the parser of {input} failed before the end of its input ({reason})")]
pub struct ParserPanicked {
    pub input: String,
    pub reason: String,
}

impl<T: Send + 'static> ParserThread<T> {
    /// Starts pulling `items` on a new thread named `arrow-parse`.
    pub fn spawn(items: impl Iterator<Item = T> + Send + 'static) -> std::io::Result<Self> {
        let (tx, chunks) = sync_channel::<Vec<T>>(CHUNKS_IN_FLIGHT);
        let handle = std::thread::Builder::new().name("arrow-parse".into()).spawn(move || {
            let mut busy = Duration::ZERO;
            let mut items = items;
            let mut chunk = Vec::with_capacity(CHUNK);
            loop {
                let t = Instant::now();
                let item = items.next();
                busy += t.elapsed();
                let Some(item) = item else { break };
                chunk.push(item);
                // A closed channel means the consumer stopped (a bad record, a failed write): stop reading.
                if chunk.len() == CHUNK && tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))).is_err() {
                    return busy;
                }
            }
            let _ = tx.send(chunk);
            busy
        })?;
        Ok(ParserThread { chunks, handle })
    }

    /// The chunks, in input order; the channel ends when the parser finishes, stops or panics.
    pub fn chunks(&self) -> &Receiver<Vec<T>> {
        &self.chunks
    }

    /// Waits for the parser; returns the time it spent parsing, or the panic that ended it early. `input`
    /// names what was being parsed, for the message.
    pub fn join(self, input: &str) -> Result<Duration, ParserPanicked> {
        drop(self.chunks);
        self.handle.join().map_err(|panic| {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panicked".into());
            ParserPanicked { input: input.to_string(), reason }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_arrives_in_order_across_chunks() {
        let n = CHUNK * 3 + 7;
        let parser = ParserThread::spawn(0..n).unwrap();
        let got: Vec<usize> = parser.chunks().iter().flatten().collect();
        assert_eq!(got, (0..n).collect::<Vec<_>>());
        assert!(parser.join("numbers").is_ok());
    }

    #[test]
    fn a_panicking_parser_is_reported_not_taken_for_the_end_of_input() {
        let items = (0..CHUNK * 2).map(|i| if i == CHUNK + 5 { panic!("bad state at item {i}") } else { i });
        let parser = ParserThread::spawn(items).unwrap();
        let got: Vec<usize> = parser.chunks().iter().flatten().collect();
        assert_eq!(got.len(), CHUNK, "only the chunk handed over before the panic arrives");
        let err = parser.join("works.jsonl").unwrap_err();
        assert_eq!(err.input, "works.jsonl");
        assert!(err.reason.contains("bad state at item"), "{}", err.reason);
        assert!(err.to_string().starts_with("the parser of works.jsonl failed"), "{err}");
    }

    #[test]
    fn a_consumer_that_stops_early_ends_the_parser() {
        let parser = ParserThread::spawn(0..).unwrap();
        let first = parser.chunks().recv().unwrap();
        assert_eq!(first.len(), CHUNK);
        // An endless input: join returns only because dropping the receiver stops the thread.
        assert!(parser.join("endless").is_ok());
    }
}
