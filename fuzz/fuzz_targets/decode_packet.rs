//! Fuzz target `decode_packet`: see [`vcd_mqtt_fuzz::codec_checks::check_decode_packet`] for the properties checked.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    vcd_mqtt_fuzz::codec_checks::check_decode_packet(data);
});
