//! Fuzz target `message`: see [`vcd_mqtt_fuzz::schema_checks::check_message`] for the properties
//! checked.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    vcd_mqtt_fuzz::schema_checks::check_message(data);
});
