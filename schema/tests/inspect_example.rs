//! Runs `cargo run --example inspect` (the README's first command) the way a user does and checks
//! its output: the bundled capture of a real mosquitto session, a raw file, and malformed `--hex`
//! input.
#![forbid(unsafe_code)]

use std::path::Path;
use std::process::Command;

/// Output and exit code of `cargo run -q --example inspect -- ARGS`.
struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

impl Run {
    /// The packet line at `offset` of `direction`, with its columns squeezed to single spaces.
    fn packet(&self, direction: &str, offset: usize) -> String {
        let prefix = format!("{direction} @{offset} ");
        let line = self
            .stdout
            .lines()
            .find(|l| squeeze(l).starts_with(&prefix))
            .unwrap_or_else(|| panic!("no line for {prefix:?} in:\n{}", self.stdout));
        squeeze(line)
    }
}

fn squeeze(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn inspect(args: &[&str]) -> Run {
    let manifest_dir = env!("CARGO_MANIFEST_DIR");
    let output = Command::new(env!("CARGO"))
        .args([
            "run",
            "-q",
            "-p",
            "vcd-mqtt-schema",
            "--example",
            "inspect",
            "--",
        ])
        .args(args)
        .current_dir(manifest_dir)
        .output()
        .expect("cargo runs");
    Run {
        stdout: String::from_utf8(output.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code(),
    }
}

/// The bundled capture, split into (direction byte, chunk) records.
fn bundled_records() -> Vec<(u8, Vec<u8>)> {
    let data = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/capture/session.mqttcap"),
    )
    .expect("the bundled capture exists");
    let mut records = Vec::new();
    let mut rest = &data[..];
    while !rest.is_empty() {
        let len = u32::from_be_bytes(rest[1..5].try_into().expect("4 bytes")) as usize;
        records.push((rest[0], rest[5..5 + len].to_vec()));
        rest = &rest[5 + len..];
    }
    records
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, contents: &[u8]) -> Self {
        let path =
            std::env::temp_dir().join(format!("vcd-mqtt-inspect-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("temp file written");
        TempFile(path)
    }

    fn arg(&self) -> &str {
        self.0.to_str().expect("UTF-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Packet and error lines only (no `#` comments, no unwrapped-message lines).
fn packet_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("C->S") || l.starts_with("S->C") || l.starts_with("----"))
        .map(squeeze)
        .collect()
}

#[test]
fn bundled_capture_shows_every_packet_of_the_session() {
    let run = inspect(&[]);
    assert_eq!(
        run.code,
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    let c = "C->S";
    let s = "S->C";
    assert_eq!(
        run.packet(c, 0),
        "C->S @0 CONNECT 85 B client_id=\"vmware-echo-0.0.1-ext\" clean_session=true keep_alive=2s \
         will=none user_name=\"vmware/echo/0.0.1\" password=<29 B>"
    );
    assert_eq!(
        run.packet(s, 0),
        "S->C @0 CONNACK 4 B session_present=false return_code=0 (Accepted)"
    );
    assert_eq!(
        run.packet(c, 85),
        "C->S @85 SUBSCRIBE 44 B packet_id=1 topics=[\"topic/extension/vmware/echo/0.0.1/ext\" qos 1]"
    );
    assert_eq!(
        run.packet(s, 4),
        "S->C @4 SUBACK 5 B packet_id=1 return_codes=[granted qos 1]"
    );
    assert_eq!(
        run.packet(s, 9),
        "S->C @9 PUBLISH 1475 B dup=false qos=1 packet_id=1 retain=false \
         topic=\"topic/extension/vmware/echo/0.0.1/ext\" payload=1431 B"
    );
    assert_eq!(run.packet(c, 129), "C->S @129 PUBACK 4 B packet_id=1");
    assert_eq!(
        run.packet(c, 133),
        "C->S @133 PUBLISH 473 B dup=false qos=1 packet_id=2 retain=false \
         topic=\"topic/extension/vmware/echo/0.0.1/vcd\" payload=429 B"
    );
    assert_eq!(run.packet(s, 1484), "S->C @1484 PUBACK 4 B packet_id=2");
    assert_eq!(run.packet(c, 606), "C->S @606 PINGREQ 2 B");
    assert_eq!(run.packet(s, 1488), "S->C @1488 PINGRESP 2 B");
    assert_eq!(run.packet(c, 608), "C->S @608 DISCONNECT 2 B");
    assert_eq!(packet_lines(&run.stdout).len(), 11, "{}", run.stdout);
    assert!(run
        .stdout
        .contains("# 11 packet(s), 0 malformed, 0 undecodable VCD message(s)"));

    // Each PUBLISH is followed by its message with every layer unwrapped.
    let lines: Vec<&str> = run.stdout.lines().collect();
    let message_after = |prefix: &str| -> Vec<&str> {
        let at = lines
            .iter()
            .position(|l| squeeze(l).starts_with(prefix))
            .expect("PUBLISH line");
        lines[at + 1..]
            .iter()
            .take_while(|l| l.trim_start().starts_with('|'))
            .copied()
            .collect()
    };
    let invocation = message_after("S->C @9 PUBLISH").join("\n");
    for expected in [
        "BEHAVIOR_INVOCATION",
        "task=7ce94181-6b78-4147-b7fe-b21558790500",
        "serviceId=urn:vcloud:extension-api:vmware:echo:0.0.1",
        "HalfDuplexEnvelope",
        "phase=urn:extensionPoint:vm:create",
        "correlationId=16e8a458-ec93-4285-888e-293c94b5e004",
    ] {
        assert!(
            invocation.contains(expected),
            "{expected:?} missing from:\n{invocation}"
        );
    }
    let reply = message_after("C->S @133 PUBLISH").join("\n");
    for expected in [
        "BEHAVIOR_RESPONSE",
        "task=7ce94181-6b78-4147-b7fe-b21558790500",
        "HalfDuplexEnvelope",
    ] {
        assert!(
            reply.contains(expected),
            "{expected:?} missing from:\n{reply}"
        );
    }
    for message in [&invocation, &reply] {
        assert!(
            message
                .lines()
                .any(|l| l.contains("Echo") && l.contains(r#""message":"Hello World!""#)),
            "no unwrapped Echo payload in:\n{message}"
        );
    }
}

#[test]
fn capture_fed_one_byte_per_read_decodes_the_same() {
    let bundled = inspect(&[]);
    let mut file = Vec::new();
    for (direction, chunk) in bundled_records() {
        for byte in chunk {
            file.extend_from_slice(&[direction, 0, 0, 0, 1, byte]);
        }
    }
    let file = TempFile::new("bytewise.mqttcap", &file);
    let run = inspect(&[file.arg()]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with(&format!(
            "# {} (capture): 2100 record(s), 2100 B",
            file.arg()
        )),
        "{}",
        run.stdout
    );
    assert_eq!(packet_lines(&run.stdout), packet_lines(&bundled.stdout));
    let body = |s: &str| s.lines().skip(1).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        body(&run.stdout),
        body(&bundled.stdout),
        "unwrapped messages differ"
    );
}

#[test]
fn a_file_that_is_not_a_capture_is_one_raw_stream() {
    let client_stream: Vec<u8> = bundled_records()
        .into_iter()
        .filter(|(direction, _)| *direction == b'C')
        .flat_map(|(_, chunk)| chunk)
        .collect();
    let file = TempFile::new("client.bin", &client_stream);
    let run = inspect(&[file.arg()]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("(raw byte stream): 1 record(s), 610 B"),
        "{}",
        run.stdout
    );
    let types: Vec<String> = packet_lines(&run.stdout)
        .iter()
        .map(|l| l.split(' ').nth(2).unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        types,
        [
            "CONNECT",
            "SUBSCRIBE",
            "PUBACK",
            "PUBLISH",
            "PINGREQ",
            "DISCONNECT"
        ]
    );
    assert_eq!(run.packet("----", 606), "---- @606 PINGREQ 2 B");
    assert!(run.stdout.contains(r#""message":"Hello World!""#));
}

#[test]
fn malformed_hex_names_offset_and_rule_and_decoding_goes_on() {
    // PINGREQ, PUBACK with the forbidden packet id 0, PINGRESP, PUBLISH to the topic "+"
    // (a wildcard), DISCONNECT; spaces are allowed anywhere between bytes.
    let run = inspect(&[
        "--hex",
        "c0 00  40 02 00 00  d0 00  30 05 00 01 2b 68 69  e0 00",
    ]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(
        packet_lines(&run.stdout),
        [
            "---- @0 PINGREQ 2 B",
            "---- @2 ERROR error at byte 4: packet identifier is 0 [MQTT-2.3.1-1]; \
             skipping the 4-byte packet that starts at byte 2",
            "---- @6 PINGRESP 2 B",
            "---- @8 ERROR error at byte 12: wildcard in topic name [MQTT-3.3.2-2]; \
             skipping the 7-byte packet that starts at byte 8",
            "---- @15 DISCONNECT 2 B",
        ]
    );
    assert!(run
        .stdout
        .contains("# 3 packet(s), 2 malformed, 0 undecodable VCD message(s)"));
}

#[test]
fn an_error_in_the_first_byte_skips_the_packet() {
    // PUBREL must have flags 0010 [MQTT-3.6.1-1], reserved type 15 [§2.2.1], PUBLISH QoS 3
    // [MQTT-3.3.1-4]: the codec reports each once the remaining length is readable, with the
    // packet's length, so decoding goes on with the next packet.
    let run = inspect(&[
        "--hex",
        "c0 00  60 02 00 01  f0 01 ff  36 05 00 01 61 00 01  e0 00",
    ]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let lines = packet_lines(&run.stdout);
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert_eq!(lines[0], "---- @0 PINGREQ 2 B");
    assert!(
        lines[1].starts_with("---- @2 ERROR error at byte 2: invalid fixed header flags"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("[MQTT-3.6.1-1]"), "{}", lines[1]);
    assert!(
        lines[1].ends_with("skipping the 4-byte packet that starts at byte 2"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "---- @6 ERROR error at byte 6: reserved packet type 15 (unnumbered rule of MQTT 3.1.1); \
         skipping the 3-byte packet that starts at byte 6"
    );
    assert!(
        lines[3].starts_with("---- @9 ERROR error at byte 9: "),
        "{}",
        lines[3]
    );
    assert!(lines[3].contains("[MQTT-3.3.1-4]"), "{}", lines[3]);
    assert!(
        lines[3].ends_with("skipping the 7-byte packet that starts at byte 9"),
        "{}",
        lines[3]
    );
    assert_eq!(lines[4], "---- @16 DISCONNECT 2 B");
    assert!(run
        .stdout
        .contains("# 2 packet(s), 3 malformed, 0 undecodable VCD message(s)"));
}

#[test]
fn a_bad_first_byte_with_a_malformed_length_stops_the_stream() {
    // Reserved type 0 whose remaining length runs past four bytes: the packet's end is unknown,
    // so nothing after it can be framed.
    let run = inspect(&["--hex", "c0 00 00 80 80 80 80 01 e0 00"]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let lines = packet_lines(&run.stdout);
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0], "---- @0 PINGREQ 2 B");
    assert_eq!(
        lines[1],
        "---- @2 ERROR error at byte 2: reserved packet type 0 (unnumbered rule of MQTT 3.1.1); \
         packet length unknown, the rest of this stream cannot be decoded"
    );
}

#[test]
fn unnumbered_rules_and_truncated_streams_are_errors() {
    let run = inspect(&["--hex", "d0 00 00 00"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        packet_lines(&run.stdout)[1],
        "---- @2 ERROR error at byte 2: reserved packet type 0 (unnumbered rule of MQTT 3.1.1); \
         skipping the 2-byte packet that starts at byte 2"
    );

    let run = inspect(&["--hex", "c0 00 30 05 00 01 61"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        packet_lines(&run.stdout)[1],
        "---- @2 ERROR error at byte 7: the stream ends inside a packet (5 B received, the rest never arrived)"
    );
}

#[test]
fn a_publish_that_is_not_a_vcd_message_is_reported() {
    let run = inspect(&["--hex", "30 07 00 01 61 68 65 6c 6f"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert_eq!(
        packet_lines(&run.stdout),
        ["---- @0 PUBLISH 9 B dup=false qos=0 retain=false topic=\"a\" payload=4 B"]
    );
    assert!(
        run.stdout.contains("| not a VCD message: envelope:"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("# 1 packet(s), 0 malformed, 1 undecodable VCD message(s)"));
}

#[test]
fn usage_errors_exit_with_2() {
    let run = inspect(&["--hex", "0g"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("--hex: 'g' in group 1 is not a hex digit"),
        "{}",
        run.stderr
    );
    let run = inspect(&["--hex", "c0 0"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("odd number of hex digits (3)"),
        "{}",
        run.stderr
    );
    let run = inspect(&["/nonexistent/vcd-mqtt/capture"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("cannot read /nonexistent/vcd-mqtt/capture"),
        "{}",
        run.stderr
    );
    let run = inspect(&["--frobnicate"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("unknown option --frobnicate"));
    let run = inspect(&["--help"]);
    assert_eq!(run.code, Some(0));
    assert!(run.stdout.starts_with("usage: cargo run --example inspect"));
}
