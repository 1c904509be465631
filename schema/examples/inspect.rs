//! `inspect`: decode a recorded MQTT session of a VMware Cloud Director extension, packet by
//! packet, and unwrap every VCD message it carries down to its innermost typed payload.
//!
//! ```text
//! cargo run --example inspect                      # the bundled capture (a real mosquitto session)
//! cargo run --example inspect -- FILE              # a capture file, or any file as a raw byte stream
//! cargo run --example inspect -- --hex "30 0a 00 03 61 2f 62 68 65 6c 6c 6f"
//! ```
//!
//! The bundled capture (`schema/examples/capture/session.mqttcap`, recorded with
//! `schema/examples/capture/record.py` from mosquitto and the paho-mqtt client; format in
//! `schema/examples/capture/README.md`) holds the chunks of both directions exactly as the TCP
//! reads delivered them. Each direction gets its own [`StreamDecoder`], fed those chunks
//! unchanged, so packets split across reads or sharing one read are reassembled as a real client
//! or broker would. A file that is not a capture, and `--hex` input, are decoded as one byte
//! stream of unknown direction.
//!
//! Every packet prints one line: direction, byte offset in its direction's stream, type, length and
//! key fields. A PUBLISH is followed by its VCD message with every layer unwrapped. A malformed
//! packet prints an `ERROR` line with the absolute byte offset and the rule it breaks (with its
//! MQTT 3.1.1 statement ID); decoding goes on with the next packet whenever the bad packet's
//! length is known. The exit status is 1 if a packet is malformed, a stream ends inside a packet or a PUBLISH
//! payload is not a decodable VCD message; 2 for a usage error (bad arguments, unreadable file).
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::process::ExitCode;

use vcd_mqtt_codec::{
    Connect, DecodeError, DecodeOptions, Packet, Publish, Role, StreamDecoder, SubackReturnCode,
};
use vcd_mqtt_schema::Message;

/// The capture decoded when no argument is given.
const BUNDLED_CAPTURE: &[u8] = include_bytes!("capture/session.mqttcap");
const BUNDLED_NAME: &str = "schema/examples/capture/session.mqttcap";

const USAGE: &str = "\
usage: cargo run --example inspect [-- FILE | -- --hex BYTES...]

  (no argument)  decode the bundled capture of a real mosquitto session
  FILE           decode FILE: a capture ([C|S][u32 BE length][bytes] records) or a raw byte stream
  --hex BYTES    decode hexadecimal bytes (spaces allowed, e.g. --hex \"c0 00 e0 00\")";

/// Which way a byte stream travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Client to broker (`C` records); decoded as the broker receives it.
    ClientToBroker,
    /// Broker to client (`S` records); decoded as the client receives it.
    BrokerToClient,
    /// A raw byte stream of unknown direction: packets of both directions are accepted.
    Unknown,
}

impl Direction {
    fn label(self) -> &'static str {
        match self {
            Direction::ClientToBroker => "C->S",
            Direction::BrokerToClient => "S->C",
            Direction::Unknown => "----",
        }
    }

    /// Decoder options for the receiving side of this direction: the receiver's role makes the
    /// decoder reject packets that may not travel this way (a CONNACK sent by a client, say).
    fn options(self) -> DecodeOptions {
        match self {
            Direction::ClientToBroker => DecodeOptions::new().role(Role::Server),
            Direction::BrokerToClient => DecodeOptions::new().role(Role::Client),
            Direction::Unknown => DecodeOptions::new(),
        }
    }

    fn index(self) -> usize {
        match self {
            Direction::ClientToBroker => 0,
            Direction::BrokerToClient => 1,
            Direction::Unknown => 2,
        }
    }
}

/// One record of a capture: the bytes of one TCP read and their direction.
#[derive(Debug, Clone, Copy)]
struct Record<'a> {
    direction: Direction,
    chunk: &'a [u8],
}

/// Splits `data` into capture records, or `None` if it is not a well-formed capture (then the
/// caller treats it as a raw byte stream).
fn parse_capture(data: &[u8]) -> Option<Vec<Record<'_>>> {
    let mut records = Vec::new();
    let mut rest = data;
    while let Some((&tag, tail)) = rest.split_first() {
        let direction = match tag {
            b'C' => Direction::ClientToBroker,
            b'S' => Direction::BrokerToClient,
            _ => return None,
        };
        let (len, tail) = tail.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        if tail.len() < len {
            return None;
        }
        let (chunk, tail) = tail.split_at(len);
        records.push(Record { direction, chunk });
        rest = tail;
    }
    (!records.is_empty()).then_some(records)
}

/// Parses hexadecimal bytes; whitespace anywhere is ignored, as is a `0x` prefix on a group.
fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let mut digits = Vec::new();
    for (index, word) in text.split_whitespace().enumerate() {
        let word = word
            .strip_prefix("0x")
            .or_else(|| word.strip_prefix("0X"))
            .unwrap_or(word);
        for c in word.chars() {
            let value = c
                .to_digit(16)
                .ok_or_else(|| format!("--hex: {c:?} in group {} is not a hex digit", index + 1))?;
            digits.push(value as u8);
        }
    }
    if digits.len() % 2 != 0 {
        return Err(format!(
            "--hex: odd number of hex digits ({})",
            digits.len()
        ));
    }
    Ok(digits.chunks_exact(2).map(|p| p[0] << 4 | p[1]).collect())
}

/// What the command line asks for.
#[derive(Debug)]
enum Source {
    Bundled,
    File(String),
    Hex(String),
}

fn parse_args(args: &[String]) -> Result<Source, String> {
    match args {
        [] => Ok(Source::Bundled),
        [flag, ..] if flag == "-h" || flag == "--help" => Err(String::new()),
        [flag] if flag == "--hex" => Err("--hex needs the bytes to decode".to_owned()),
        [flag, bytes @ ..] if flag == "--hex" => Ok(Source::Hex(bytes.join(" "))),
        [flag, ..] if flag.starts_with('-') && flag.len() > 1 => {
            Err(format!("unknown option {flag}"))
        }
        [path] => Ok(Source::File(path.clone())),
        _ => Err("expected a single FILE or --hex BYTES".to_owned()),
    }
}

/// Decoding state of one direction's byte stream.
struct Stream {
    direction: Direction,
    decoder: StreamDecoder,
    /// Bytes of this direction handed to the decoder so far.
    fed: usize,
    /// Stream offset at which the packet being decoded starts.
    packet_start: usize,
    /// The decoder met an error without a known packet length and cannot find the next packet.
    stuck: bool,
}

impl Stream {
    fn new(direction: Direction) -> Self {
        Stream {
            direction,
            decoder: StreamDecoder::new(direction.options()),
            fed: 0,
            packet_start: 0,
            stuck: false,
        }
    }
}

/// Writes the report and counts what it saw.
#[derive(Default)]
struct Report {
    out: String,
    packets: usize,
    /// Malformed MQTT packets (and streams cut inside a packet).
    errors: usize,
    /// PUBLISH payloads whose VCD message (or one of its layers) does not decode.
    message_errors: usize,
}

/// Indentation of the unwrapped VCD message under its PUBLISH line.
const INDENT: &str = "           | ";

impl Report {
    fn line(&mut self, text: impl AsRef<str>) {
        self.out.push_str(text.as_ref());
        self.out.push('\n');
    }

    fn packet(&mut self, direction: Direction, offset: usize, len: usize, packet: &Packet<'_>) {
        self.packets += 1;
        let name = packet.packet_type().to_string();
        let fields = describe(packet);
        let line = format!(
            "{} @{offset:<6} {name:<11} {len:>5} B  {fields}",
            direction.label()
        );
        self.line(line.trim_end());
        if let Packet::Publish(publish) = packet {
            self.message(publish);
        }
    }

    fn decode_error(&mut self, direction: Direction, packet_start: usize, err: &DecodeError) {
        self.errors += 1;
        let rule = match err.error.statement_id() {
            Some(_) => String::new(), // `Display` of the error already ends with "[MQTT-…]"
            None => " (unnumbered rule of MQTT 3.1.1)".to_owned(),
        };
        let at = packet_start + err.offset;
        let next = match err.packet_len {
            Some(len) => {
                format!("; skipping the {len}-byte packet that starts at byte {packet_start}")
            }
            None => "; packet length unknown, the rest of this stream cannot be decoded".to_owned(),
        };
        self.line(format!(
            "{} @{packet_start:<6} ERROR       error at byte {at}: {}{rule}{next}",
            direction.label(),
            err.error
        ));
    }

    /// Prints the VCD message of a PUBLISH with every layer unwrapped: the envelope, its typed
    /// body, and for object extensions the half-duplex envelope and its typed payload.
    fn message(&mut self, publish: &Publish<'_>) {
        let message = match Message::from_publish(publish) {
            Ok(message) => message,
            Err(err) => {
                self.message_errors += 1;
                self.line(format!("{INDENT}not a VCD message: {err}"));
                return;
            }
        };
        let unwrapped = message.unwrap_all();
        let failed = unwrapped.body.is_err()
            || matches!(unwrapped.object_extension, Some(Err(_)))
            || matches!(unwrapped.payload, Some(Err(_)));
        if failed {
            self.message_errors += 1;
        }
        for line in unwrapped.to_string().lines() {
            self.line(format!("{INDENT}{line}"));
        }
    }
}

/// One-line summary of a packet's fields.
fn describe(packet: &Packet<'_>) -> String {
    let mut s = String::new();
    // `write!` into a String cannot fail.
    let _ = match packet {
        Packet::Connect(c) => describe_connect(&mut s, c),
        Packet::Connack(c) => write!(
            s,
            "session_present={} return_code={} ({:?})",
            c.session_present, c.code as u8, c.code
        ),
        Packet::Publish(p) => {
            let _ = write!(s, "dup={} qos={}", p.dup, p.qos_pid.qos().as_u8());
            if let Some(id) = p.qos_pid.packet_id() {
                let _ = write!(s, " packet_id={}", id.get());
            }
            write!(
                s,
                " retain={} topic={:?} payload={} B",
                p.retain,
                p.topic.as_str(),
                p.payload.len()
            )
        }
        Packet::Puback(a) => write!(s, "packet_id={}", a.packet_id.get()),
        Packet::Pubrec(a) => write!(s, "packet_id={}", a.packet_id.get()),
        Packet::Pubrel(a) => write!(s, "packet_id={}", a.packet_id.get()),
        Packet::Pubcomp(a) => write!(s, "packet_id={}", a.packet_id.get()),
        Packet::Unsuback(a) => write!(s, "packet_id={}", a.packet_id.get()),
        Packet::Subscribe(sub) => {
            let topics: Vec<String> = sub
                .topics
                .iter()
                .map(|t| format!("{:?} qos {}", t.filter.as_str(), t.qos.as_u8()))
                .collect();
            write!(
                s,
                "packet_id={} topics=[{}]",
                sub.packet_id.get(),
                topics.join(", ")
            )
        }
        Packet::Suback(ack) => {
            let codes: Vec<String> = ack
                .return_codes
                .iter()
                .map(|code| match code {
                    SubackReturnCode::Success(qos) => format!("granted qos {}", qos.as_u8()),
                    SubackReturnCode::Failure => "failure (0x80)".to_owned(),
                })
                .collect();
            write!(
                s,
                "packet_id={} return_codes=[{}]",
                ack.packet_id.get(),
                codes.join(", ")
            )
        }
        Packet::Unsubscribe(unsub) => {
            let topics: Vec<String> = unsub
                .topics
                .iter()
                .map(|t| format!("{:?}", t.as_str()))
                .collect();
            write!(
                s,
                "packet_id={} topics=[{}]",
                unsub.packet_id.get(),
                topics.join(", ")
            )
        }
        Packet::Pingreq | Packet::Pingresp | Packet::Disconnect => Ok(()),
    };
    s
}

fn describe_connect(s: &mut String, c: &Connect<'_>) -> std::fmt::Result {
    write!(
        s,
        "client_id={:?} clean_session={} keep_alive={}s",
        c.client_id, c.clean_session, c.keep_alive
    )?;
    match &c.will {
        Some(will) => write!(
            s,
            " will(topic={:?} qos={} retain={} message={} B)",
            will.topic.as_str(),
            will.qos.as_u8(),
            will.retain,
            will.message.len()
        )?,
        None => s.push_str(" will=none"),
    }
    match c.username {
        Some(user) => write!(s, " user_name={user:?}")?,
        None => s.push_str(" user_name=none"),
    }
    match c.password {
        Some(password) => write!(s, " password=<{} B>", password.len()),
        None => {
            s.push_str(" password=none");
            Ok(())
        }
    }
}

/// Feeds one chunk of `stream`'s direction to its decoder, reporting what completes.
fn feed(stream: &mut Stream, chunk: &[u8], report: &mut Report) {
    if stream.stuck {
        stream.fed += chunk.len();
        return;
    }
    let direction = stream.direction;
    let mut rest = chunk;
    while !rest.is_empty() {
        let (used, result) = stream.decoder.decode(rest);
        let end = stream.fed + used;
        let completed = match result {
            Ok(Some(packet)) => {
                let len = end.saturating_sub(stream.packet_start);
                report.packet(direction, stream.packet_start, len, &packet);
                stream.packet_start = end;
                true
            }
            Ok(None) => false,
            Err(err) => {
                report.decode_error(direction, stream.packet_start, &err);
                match err.packet_len {
                    // The decoder skips the rest of the bad packet, also bytes still to come.
                    Some(len) => stream.packet_start += len,
                    None => {
                        stream.stuck = true;
                        stream.fed += rest.len();
                        return;
                    }
                }
                false
            }
        };
        stream.fed = end;
        rest = rest.get(used..).unwrap_or_default();
        // Only a packet completing from bytes buffered earlier may consume nothing new.
        let progressed = completed || used > 0;
        if !progressed {
            break;
        }
    }
}

/// Reports a packet left unfinished when a stream ends.
fn finish(stream: &Stream, report: &mut Report) {
    let buffered = stream.decoder.buffered();
    if !stream.stuck && buffered > 0 {
        report.errors += 1;
        report.line(format!(
            "{} @{:<6} ERROR       error at byte {}: the stream ends inside a packet \
             ({buffered} B received, the rest never arrived)",
            stream.direction.label(),
            stream.packet_start,
            stream.fed
        ));
    }
}

/// Decodes `records` (in arrival order) and returns the report.
fn inspect(source: &str, records: &[Record<'_>]) -> Report {
    let mut report = Report::default();
    let bytes: usize = records.iter().map(|r| r.chunk.len()).sum();
    report.line(format!(
        "# {source}: {} record(s), {bytes} B",
        records.len()
    ));
    let mut streams = [
        Stream::new(Direction::ClientToBroker),
        Stream::new(Direction::BrokerToClient),
        Stream::new(Direction::Unknown),
    ];
    for record in records {
        feed(
            &mut streams[record.direction.index()],
            record.chunk,
            &mut report,
        );
    }
    for stream in &streams {
        finish(stream, &mut report);
    }
    let (packets, errors, message_errors) = (report.packets, report.errors, report.message_errors);
    report.line(format!(
        "# {packets} packet(s), {errors} malformed, {message_errors} undecodable VCD message(s)"
    ));
    report
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let source = match parse_args(&args) {
        Ok(source) => source,
        Err(message) => {
            if message.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("inspect: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let owned: Vec<u8>;
    let (name, records) = match &source {
        Source::Bundled => (
            BUNDLED_NAME.to_owned(),
            parse_capture(BUNDLED_CAPTURE).unwrap_or_default(),
        ),
        Source::File(path) => {
            owned = match std::fs::read(path) {
                Ok(data) => data,
                Err(e) => {
                    eprintln!("inspect: cannot read {path}: {e}");
                    return ExitCode::from(2);
                }
            };
            match parse_capture(&owned) {
                Some(records) => (format!("{path} (capture)"), records),
                None => (
                    format!("{path} (raw byte stream)"),
                    vec![Record {
                        direction: Direction::Unknown,
                        chunk: &owned,
                    }],
                ),
            }
        }
        Source::Hex(text) => {
            owned = match parse_hex(text) {
                Ok(bytes) => bytes,
                Err(message) => {
                    eprintln!("inspect: {message}");
                    return ExitCode::from(2);
                }
            };
            (
                "--hex input (raw byte stream)".to_owned(),
                vec![Record {
                    direction: Direction::Unknown,
                    chunk: &owned,
                }],
            )
        }
    };
    let report = inspect(&name, &records);
    print!("{}", report.out);
    if report.errors + report.message_errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
