//! Criterion settings shared by every bench file: modest, so `benches/run.sh` stays affordable
//! on a small shared machine (about 3.5 s per benchmark including warm-up).

use std::time::Duration;

use criterion::Criterion;

/// The configuration every group starts from; command-line flags still override it.
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_millis(2500))
        .sample_size(40)
        .noise_threshold(0.03)
        .configure_from_args()
}
