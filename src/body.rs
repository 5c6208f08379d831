//! Reading a request body with a size limit as it streams: a declared `Content-Length` over the
//! limit is refused before anything is read, and a streamed body stops being read as soon as it
//! passes the limit, so a multi-gigabyte upload never gets buffered. The Spin layer feeds the
//! incoming body stream through [`read_limited`]; a body that was too large reaches the routes as
//! an empty body marked with [`BodyTooLarge`] (answered 413).

use futures::{Stream, StreamExt};

/// Request extension: the body was over the limit and was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTooLarge;

/// Why a body was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Over the limit (declared or streamed).
    TooLarge,
    /// The stream failed.
    Stream(String),
}

/// True when a declared `Content-Length` is over `limit` (the body need not be read at all).
pub fn declared_too_large(headers: &http::HeaderMap, limit: usize) -> bool {
    headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
}

/// Collects the chunks of `stream` until it ends, or stops with [`BodyError::TooLarge`] at the
/// first chunk that takes the total past `limit` (nothing after it is pulled).
pub async fn read_limited<S, E>(stream: S, limit: usize) -> Result<Vec<u8>, BodyError>
where
    S: Stream<Item = Result<Vec<u8>, E>>,
    E: std::fmt::Debug,
{
    let mut stream = std::pin::pin!(stream);
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| BodyError::Stream(format!("{e:?}")))?;
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use futures::stream;
    use std::cell::Cell;

    #[test]
    fn a_body_within_the_limit_is_read_whole() {
        let chunks = stream::iter(vec![Ok::<_, ()>(b"{\"a\":".to_vec()), Ok(b"1}".to_vec())]);
        assert_eq!(block_on(read_limited(chunks, 7)).unwrap(), b"{\"a\":1}");
    }

    #[test]
    fn an_endless_upload_stops_at_the_limit() {
        let pulled = Cell::new(0usize);
        let endless = stream::repeat_with(|| {
            pulled.set(pulled.get() + 1);
            Ok::<_, ()>(vec![b'x'; 64 * 1024])
        });
        assert_eq!(
            block_on(read_limited(endless, 256 * 1024)),
            Err(BodyError::TooLarge)
        );
        // 4 chunks fill the limit exactly; the 5th passes it and nothing more is read.
        assert_eq!(pulled.get(), 5);
    }

    #[test]
    fn stream_errors_are_reported() {
        let broken = stream::iter(vec![Ok(b"{".to_vec()), Err("reset")]);
        assert_eq!(
            block_on(read_limited(broken, 100)),
            Err(BodyError::Stream("\"reset\"".into()))
        );
    }

    #[test]
    fn a_declared_length_over_the_limit_is_refused_up_front() {
        let mut h = http::HeaderMap::new();
        assert!(!declared_too_large(&h, 10));
        h.insert("content-length", "11".parse().unwrap());
        assert!(declared_too_large(&h, 10));
        h.insert("content-length", "10".parse().unwrap());
        assert!(!declared_too_large(&h, 10));
    }
}
