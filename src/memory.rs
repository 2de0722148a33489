//! TEMPORARY stand-in until the memory module lands (same API subset).
use std::collections::HashMap;
use std::time::SystemTime;

#[derive(Debug, Clone)]
pub struct Stamped<T> {
    pub value: T,
    pub at: SystemTime,
}

#[derive(Debug, Clone, Default)]
pub struct Remembered {
    pub name: Option<Stamped<String>>,
    pub description: Option<Stamped<String>>,
    pub picture: Option<Stamped<String>>,
    pub auto_read: Option<Stamped<bool>>,
    pub webhook: Option<Stamped<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct Memory {
    map: HashMap<String, Remembered>,
}

impl Memory {
    pub fn get(&self, id: &str) -> Option<&Remembered> {
        self.map.get(id)
    }
    pub fn record_name(&mut self, id: &str, v: String, at: SystemTime) {
        self.map.entry(id.into()).or_default().name = Some(Stamped { value: v, at });
    }
    pub fn record_description(&mut self, id: &str, v: String, at: SystemTime) {
        self.map.entry(id.into()).or_default().description = Some(Stamped { value: v, at });
    }
    pub fn record_picture(&mut self, id: &str, v: String, at: SystemTime) {
        self.map.entry(id.into()).or_default().picture = Some(Stamped { value: v, at });
    }
    pub fn record_auto_read(&mut self, id: &str, v: bool, at: SystemTime) {
        self.map.entry(id.into()).or_default().auto_read = Some(Stamped { value: v, at });
    }
    pub fn record_webhook(&mut self, id: &str, v: String, at: SystemTime) {
        self.map.entry(id.into()).or_default().webhook = Some(Stamped { value: v, at });
    }
}
