//! Fuzz target `packet_roundtrip`: see [`vcd_mqtt_fuzz::codec_checks::check_packet_roundtrip`]
//! for the properties checked.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use vcd_mqtt_fuzz::spec::PacketSpec;

fuzz_target!(|spec: PacketSpec| {
    vcd_mqtt_fuzz::codec_checks::check_packet_roundtrip(&spec);
});
