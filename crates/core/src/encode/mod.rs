//! Writers: activities back out as files (FIT for watches and benchmarks).

pub mod fit;
pub mod xml;
