//! The per-address connection cap: how many connections one client address (IPv6: its /64)
//! holds at once. Trusted proxies are exempt; entries exist only while connections do.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::client_addr::{address_key, Cidr};

/// Connections held per client address (entries exist only while connections do).
#[derive(Debug)]
pub(super) struct PerAddress {
    max: usize,
    trusted: Vec<Cidr>,
    held: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection's place in [`PerAddress`]; given back on drop.
pub(super) struct AddressSlot {
    table: Arc<PerAddress>,
    key: IpAddr,
}

impl PerAddress {
    /// A table allowing `max` (at least 1) connections per address, `trusted` exempt.
    pub(super) fn new(max: usize, trusted: Vec<Cidr>) -> Arc<Self> {
        Arc::new(Self {
            max: max.max(1),
            trusted,
            held: Mutex::new(HashMap::new()),
        })
    }

    /// A place for a connection from `peer`, `None` when its address holds the most it may.
    pub(super) fn claim(table: &Arc<PerAddress>, peer: IpAddr) -> Option<Option<AddressSlot>> {
        if table.trusted.iter().any(|c| c.contains(peer)) {
            return Some(None);
        }
        let key = address_key(peer);
        let mut held = table.held.lock().unwrap_or_else(|p| p.into_inner());
        let n = held.entry(key).or_insert(0);
        if *n >= table.max {
            return None;
        }
        *n += 1;
        Some(Some(AddressSlot {
            table: table.clone(),
            key,
        }))
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut held = self.table.held.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = held.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                held.remove(&self.key);
            }
        }
    }
}
