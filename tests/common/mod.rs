pub mod pty;
pub mod sandbox;
