pub mod browser;
pub mod cdp;
pub mod debs;
pub mod pty;
pub mod receiver;
pub mod sandbox;
pub mod store_fixture;
pub mod watch;
