//! Slow and hostile clients: every connection is bounded in number and in time, and the
//! answers given below the router (hyper's parser, the timeouts) follow the Nodejitsu rules.
//! Each test plays the attacker over raw TCP on 127.0.0.1, with short limits set through
//! `Settings::connections` and generous upper bounds for a loaded machine.

mod common;

use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{open_with, parse_answer, raw_resp, read_one_answer, wait_closed, TestServer};
use jitsu_server::{ConnectionLimits, Settings, MAX_HEADERS, MAX_HEAD_BYTES};

/// Slack on top of a timeout before a test calls the connection "never closed".
const SLACK: Duration = Duration::from_secs(5);

fn server(connections: ConnectionLimits) -> TestServer {
    TestServer::with_settings(Settings {
        connections,
        ..Settings::default()
    })
}

#[test]
fn half_sent_heads_are_answered_408_and_closed_after_the_header_timeout_while_healthz_answers() {
    let timeout = Duration::from_secs(1);
    let s = server(ConnectionLimits {
        header_read_timeout: timeout,
        ..ConnectionLimits::default()
    });
    let start = Instant::now();
    let mut slow: Vec<TcpStream> = (0..50)
        .map(|_| open_with(s.addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "))
        .collect();

    let asked = Instant::now();
    let r = s.req("GET", "/healthz").send();
    assert_eq!(r.status, 200, "{r:?}");
    let healthz = asked.elapsed();

    let mut last = Duration::ZERO;
    for c in &mut slow {
        let (closed, answer) =
            wait_closed(c, start + timeout + SLACK).expect("a half-sent head is never closed");
        let after = closed - start;
        assert!(
            after >= timeout,
            "closed after {after:?}, before the timeout"
        );
        last = last.max(after);
        let r = parse_answer(&answer);
        assert_eq!(r.status, 408, "{r:?}");
        r.assert_nodejitsu();
    }
    println!("50 half-sent heads: /healthz answered in {healthz:?}, all closed {last:?} after they connected (timeout {timeout:?})");
}

#[test]
fn beyond_max_connections_a_client_waits_until_the_slow_ones_are_timed_out() {
    let timeout = Duration::from_secs(2);
    let s = server(ConnectionLimits {
        max_connections: 8,
        header_read_timeout: timeout,
        ..ConnectionLimits::default()
    });
    let start = Instant::now();
    let _slow: Vec<TcpStream> = (0..8)
        .map(|_| open_with(s.addr, b"GET /healthz HTTP/1.1\r\n"))
        .collect();
    // The kernel's backlog takes the ninth; it is served only once a slot frees.
    let mut ninth = open_with(
        s.addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let (answered, answer) =
        wait_closed(&mut ninth, start + timeout + SLACK).expect("the ninth is never served");
    assert_eq!(parse_answer(&answer).status, 200);
    let waited = answered - start;
    assert!(
        waited >= timeout,
        "the ninth was served after {waited:?}, while eight slow connections held every slot"
    );
    let r = s.req("GET", "/healthz").send();
    assert_eq!(r.status, 200);
    println!("max 8 connections, 8 slow ones: the ninth was served after {waited:?} (timeout {timeout:?})");
}

#[test]
fn a_body_that_does_not_arrive_in_time_is_answered_408_and_nothing_is_written() {
    let timeout = Duration::from_secs(1);
    let s = server(ConnectionLimits {
        body_read_timeout: timeout,
        ..ConnectionLimits::default()
    });
    let start = Instant::now();
    let mut c = open_with(
        s.addr,
        b"POST /users/alice HTTP/1.1\r\nHost: x\r\nX-Jitsu-Client: test\r\n\
          Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\"",
    );
    let (closed, answer) =
        wait_closed(&mut c, start + timeout + SLACK).expect("a stalled body is never answered");
    let r = parse_answer(&answer);
    assert_eq!(r.status, 408, "{r:?}");
    r.assert_nodejitsu();
    assert_eq!(r.header("connection"), Some("close"));
    let after = closed - start;
    assert!(
        after >= timeout,
        "answered after {after:?}, before the timeout"
    );
    assert!(s.snapshot().is_empty(), "{:?}", s.snapshot());
    println!("a 10-of-100-byte body: 408 and closed after {after:?} (timeout {timeout:?})");
}

#[test]
fn a_kept_alive_connection_outlives_the_header_timeout_and_closes_after_the_idle_timeout() {
    let header = Duration::from_secs(1);
    let idle = Duration::from_secs(3);
    let s = server(ConnectionLimits {
        header_read_timeout: header,
        idle_timeout: idle,
        ..ConnectionLimits::default()
    });
    let request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut c = open_with(s.addr, request);
    assert_eq!(read_one_answer(&mut c).status, 200);
    std::thread::sleep(header + header / 2);
    std::io::Write::write_all(&mut c, request).unwrap();
    assert_eq!(read_one_answer(&mut c).status, 200, "closed while idle");
    let answered = Instant::now();
    let (closed, rest) =
        wait_closed(&mut c, answered + idle + SLACK).expect("an idle connection is never closed");
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
    let after = closed - answered;
    assert!(
        after >= idle - Duration::from_secs(1),
        "closed {after:?} after its last answer"
    );
    println!(
        "idle keep-alive connection closed {after:?} after its last answer (idle timeout {idle:?})"
    );
}

#[test]
fn an_oversized_request_head_is_answered_431_in_nodejitsu_form() {
    let s = TestServer::start();
    let big = "a".repeat(MAX_HEAD_BYTES + 1024);
    let r = raw_resp(
        s.addr,
        format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 431, "{r:?}");
    r.assert_nodejitsu();
    assert!(r.json()["message"].as_str().unwrap().contains("headers"));
}

#[test]
fn too_many_headers_are_answered_431_in_nodejitsu_form() {
    let s = TestServer::start();
    let mut request = String::from("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    for i in 0..=MAX_HEADERS {
        request.push_str(&format!("X-H{i}: {i}\r\n"));
    }
    request.push_str("\r\n");
    let r = raw_resp(s.addr, request.as_bytes());
    assert_eq!(r.status, 431, "{r:?}");
    r.assert_nodejitsu();
}

#[test]
fn malformed_request_heads_are_answered_400_in_nodejitsu_form() {
    let s = TestServer::start();
    for request in [
        &b"HELLO THERE\r\n\r\n"[..],
        b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n",
    ] {
        let r = raw_resp(s.addr, request);
        assert_eq!(r.status, 400, "{}: {r:?}", String::from_utf8_lossy(request));
        r.assert_nodejitsu();
        assert!(r.json()["message"].as_str().unwrap().contains("malformed"));
    }
}

/// A connection to `addr` from the loopback address `from` (127.0.0.0/8 is all ours).
fn connect_from(from: &str, addr: std::net::SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
        let stream = socket.connect(addr).await.unwrap().into_std().unwrap();
        stream.set_nonblocking(false).unwrap();
        stream
    })
}

#[test]
fn one_address_cannot_hold_every_connection_with_kept_alive_requests() {
    let s = server(ConnectionLimits {
        max_connections: 8,
        max_connections_per_address: 3,
        ..ConnectionLimits::default()
    });
    let healthz = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    // The attacker keeps three connections alive with valid requests.
    let mut held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut c = open_with(s.addr, healthz);
            assert_eq!(read_one_answer(&mut c).status, 200);
            c
        })
        .collect();
    // A fourth from the same address is closed at once, unanswered.
    let mut fourth = connect_from("127.0.0.1", s.addr);
    std::io::Write::write_all(&mut fourth, healthz).unwrap();
    let (_, answer) = wait_closed(&mut fourth, Instant::now() + SLACK)
        .expect("the connection over the per-address cap is closed");
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    // Another client still gets in, and the attacker's own connections still work.
    let mut other = connect_from("127.0.0.2", s.addr);
    std::io::Write::write_all(&mut other, healthz).unwrap();
    assert_eq!(read_one_answer(&mut other).status, 200);
    std::io::Write::write_all(&mut held[0], healthz).unwrap();
    assert_eq!(read_one_answer(&mut held[0]).status, 200);
    // Closing one frees its place for the same address.
    held.pop();
    std::thread::sleep(Duration::from_millis(200));
    let mut again = connect_from("127.0.0.1", s.addr);
    std::io::Write::write_all(&mut again, healthz).unwrap();
    assert_eq!(read_one_answer(&mut again).status, 200);
}
