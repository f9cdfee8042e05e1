//! Error answers written below the router: in place of hyper's bare ones, and for a head that
//! did not arrive in time. Same rules as every other answer: `X-Powered-By: Nodejitsu` and a
//! JSON `{"error","message"}` body.

use std::time::Duration;

use axum::http::StatusCode;
use jitsu_core::protocol::{status_text, ErrorBody, POWERED_BY, POWERED_BY_HEADER};

use super::{MAX_HEADERS, MAX_HEAD_BYTES};

/// Our answer in place of hyper's own error answer (`HTTP/1.1 431 Request Header Fields Too
/// Large`, `content-length: 0`, `date`), keeping its status and date; `None` when `head` does
/// not start with an error status line.
pub(super) fn replace_hyper_answer(head: &[u8]) -> Option<Vec<u8>> {
    let rest = head.strip_prefix(b"HTTP/1.")?;
    let code = rest.get(2..5)?;
    let status = StatusCode::from_bytes(code).ok()?;
    if !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let date = head
        .split(|&b| b == b'\n')
        .find(|line| line.len() > 5 && line[..5].eq_ignore_ascii_case(b"date:"))
        .map(|line| line[5..].trim_ascii());
    Some(error_answer(status, &message_for(status), date))
}

/// The 408 for a head that did not arrive within `limit`.
pub(super) fn head_timeout(limit: Duration) -> Vec<u8> {
    error_answer(
        StatusCode::REQUEST_TIMEOUT,
        &format!(
            "the request head did not arrive within {} — send the whole request at once",
            seconds(limit)
        ),
        None,
    )
}

/// A duration as the user would set it: `10 s`, `0.5 s`.
pub(crate) fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

fn message_for(status: StatusCode) -> String {
    match status {
        StatusCode::BAD_REQUEST => "malformed HTTP request: the request line or a header could \
                                    not be parsed — send a well-formed HTTP/1.1 request"
            .to_owned(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => format!(
            "request head too large: at most {MAX_HEAD_BYTES} bytes and {MAX_HEADERS} headers — \
             send fewer or shorter headers"
        ),
        StatusCode::URI_TOO_LONG => {
            "request target too long — shorten the path and query".to_owned()
        }
        other => status_text(other.as_u16()).to_owned(),
    }
}

/// A whole HTTP/1.1 error answer that closes the connection.
fn error_answer(status: StatusCode, message: &str, date: Option<&[u8]>) -> Vec<u8> {
    // Two strings always serialise; the fallback only keeps this free of panics.
    let body = serde_json::to_vec(&ErrorBody::for_status(status.as_u16(), message))
        .unwrap_or_else(|_| b"{}".to_vec());
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         {POWERED_BY_HEADER}: {POWERED_BY}\r\nconnection: close\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
    )
    .into_bytes();
    if let Some(date) = date {
        out.extend_from_slice(b"date: ");
        out.extend_from_slice(date);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::{head_timeout, replace_hyper_answer};
    use std::time::Duration;

    fn split(answer: &[u8]) -> (String, serde_json::Value) {
        let text = String::from_utf8(answer.to_vec()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        (head.to_owned(), serde_json::from_str(body).unwrap())
    }

    #[test]
    fn hyper_431_becomes_a_nodejitsu_answer_with_its_date() {
        let hyper = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\
                      date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n";
        let (head, body) = split(&replace_hyper_answer(hyper).unwrap());
        assert!(
            head.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
            "{head}"
        );
        assert!(head.contains("\r\nX-Powered-By: Nodejitsu\r\n"), "{head}");
        assert!(head.contains("\r\nconnection: close\r\n"), "{head}");
        assert!(
            head.contains("\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT"),
            "{head}"
        );
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("fewer or shorter headers"));
        assert_eq!(body.as_object().unwrap().len(), 2);
    }

    #[test]
    fn content_length_matches_the_body() {
        let answer = replace_hyper_answer(b"HTTP/1.1 400 Bad Request\r\n\r\n").unwrap();
        let (head, body) = split(&answer);
        let declared: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(declared, serde_json::to_vec(&body).unwrap().len());
        assert_eq!(body["error"], "bad_request");
    }

    #[test]
    fn anything_but_an_error_status_line_is_left_alone() {
        assert!(replace_hyper_answer(b"HTTP/1.1 100 Continue\r\n\r\n").is_none());
        assert!(replace_hyper_answer(b"HTTP/1.1 200 OK\r\n\r\n").is_none());
        assert!(replace_hyper_answer(b"{\"partial\":").is_none());
        assert!(replace_hyper_answer(b"").is_none());
    }

    #[test]
    fn head_timeout_is_a_408_that_says_how_long() {
        let (head, body) = split(&head_timeout(Duration::from_secs(10)));
        assert!(
            head.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
            "{head}"
        );
        assert!(body["message"].as_str().unwrap().contains("within 10 s"));
    }
}
