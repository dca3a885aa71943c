//! `xuke serve` as a real process: it starts on an empty folder, serves the embedded assets
//! and shuts down cleanly on SIGTERM.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Sends a bare HTTP/1.1 GET and returns the status code and the body.
fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn serves_assets_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_xuke"))
        .arg("serve")
        .env("XUKE_DATA_DIR", &data_dir)
        .env("XUKE_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xuke binary runs");

    let started = Instant::now();
    let portal = loop {
        match http_get(port, "/") {
            Ok(response) => break response,
            Err(_) if started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(100))
            }
            Err(error) => panic!("server did not start: {error}"),
        }
    };
    assert_eq!(portal.0, 200);
    assert!(portal.1.contains("公共服务门户"));
    assert!(data_dir.join("xuke.redb").is_file());

    let (status, script) = http_get(port, "/static/htmx-2.0.11.min.js").unwrap();
    assert_eq!(status, 200);
    assert!(script.contains("htmx"));
    assert_eq!(http_get(port, "/static/xuke.css").unwrap().0, 200);

    let killed = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "exit status {:?}", output.status);
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("xuke started"));
    assert!(log.contains("xuke stopped"));
}
