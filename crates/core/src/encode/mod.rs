//! Writers: activities back out as files (FIT for watches and benchmarks).

pub mod fit;
pub mod ics;
pub mod xml;
