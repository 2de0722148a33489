pub mod browser;
pub mod debs;
pub mod english_words;
pub mod pty;
pub mod receiver;
pub mod sandbox;
pub mod store_fixture;
pub mod watch;
