//! Fuzz target `stream_decoder`: see [`vcd_mqtt_fuzz::codec_checks::check_stream_decoder`] for the properties checked.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    vcd_mqtt_fuzz::codec_checks::check_stream_decoder(data);
});
