//! Fuzz `hindsight.yaml`: any bytes give a configuration and positioned
//! diagnostics, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hindsight::fuzzing::load_config(data);
});
