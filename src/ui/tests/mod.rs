//! The dashboard drawn into a test backend: snapshots of whole screens and
//! the header's cycle line.

mod getting_around;
mod header_cycle;
mod snapshots;
