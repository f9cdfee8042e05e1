//! The socket as hyper sees it: reports progress to the connection's [`Activity`], and writes
//! our answer in place of hyper's own error answers.
//!
//! hyper answers a head it cannot parse by itself (400 malformed request line or header, 431
//! head over [`MAX_HEAD_BYTES`](super::MAX_HEAD_BYTES) or [`MAX_HEADERS`](super::MAX_HEADERS),
//! 414 target too long), with a bare `content-length: 0` head, no `X-Powered-By` and no body,
//! then closes; it has no hook for them. Checking heads in our own layer first cannot catch
//! them all (a malformed request line never reaches a layer, and hyper's buffer limit must
//! stay to bound memory), so they are replaced here, where hyper writes them. They are told
//! apart by timing, not by content: hyper only answers on its own while no request is with
//! the application ([`Activity::serving`] is false), and it reads a new head only after the
//! previous answer has been flushed; the request body is always read in full before the
//! application answers (`layers::read_body_within`), so no error head can sit in one write
//! behind the tail of our previous answer. The first write of such an answer starts with
//! hyper's status line, which we keep, with its `date`; the rest is ours.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

use super::activity::Activity;
use super::answer;

/// A connection's socket, watched.
#[derive(Debug)]
pub(super) struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
    /// Our answer in place of hyper's, and how much of it is written.
    replacement: Option<(Vec<u8>, usize)>,
}

impl Watched {
    pub(super) fn new(stream: TcpStream, activity: Arc<Activity>) -> Self {
        Self {
            stream,
            activity,
            replacement: None,
        }
    }

    /// True once hyper's own error answer was replaced by ours.
    pub(super) fn replaced_an_answer(&self) -> bool {
        self.replacement.is_some()
    }

    /// The socket back, for a last answer or a lingering close.
    pub(super) fn into_inner(self) -> TcpStream {
        self.stream
    }

    /// Whether `first` (the start of a write) is hyper answering on its own; if so our answer
    /// takes its place, and every later write of hyper's is dropped.
    fn intercept(&mut self, first: &[u8]) -> bool {
        if self.replacement.is_none() && !self.activity.serving() {
            if let Some(ours) = answer::replace_hyper_answer(first) {
                tracing::info!(
                    status = %String::from_utf8_lossy(first.get(9..12).unwrap_or_default()),
                    "request refused by the HTTP parser"
                );
                self.replacement = Some((ours, 0));
            }
        }
        self.replacement.is_some()
    }

    /// Writes what is left of our answer.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some((answer, written)) = &mut self.replacement else {
            return Poll::Ready(Ok(()));
        };
        while *written < answer.len() {
            let n = ready!(Pin::new(&mut self.stream).poll_write(cx, &answer[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.stream).poll_read(cx, buf))?;
        if buf.filled().len() > before {
            this.activity.read_some(Instant::now());
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.intercept(buf) {
            ready!(this.poll_replacement(cx))?;
            return Poll::Ready(Ok(buf.len()));
        }
        let n = ready!(Pin::new(&mut this.stream).poll_write(cx, buf))?;
        if n > 0 {
            this.activity.wrote_some(Instant::now());
        }
        Poll::Ready(Ok(n))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let first = bufs.iter().find(|b| !b.is_empty()).map_or(&[][..], |b| b);
        if this.intercept(first) {
            ready!(this.poll_replacement(cx))?;
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        let n = ready!(Pin::new(&mut this.stream).poll_write_vectored(cx, bufs))?;
        if n > 0 {
            this.activity.wrote_some(Instant::now());
        }
        Poll::Ready(Ok(n))
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_replacement(cx))?;
        ready!(Pin::new(&mut this.stream).poll_flush(cx))?;
        this.activity.flushed(Instant::now());
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_replacement(cx))?;
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}
